"""The history (audit trail): who changed what and when (SPEC 5.2).

An `Event` is written explicitly where a state change happens (`record.record`), never from
signals: bulk writes (an import of ten thousand rows) are one event, not one per row. Subjects are
referred to by type and id, not by foreign key, so that an event outlives what it describes and
its `subject_repr` still names it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
    SUBMITTED = "submitted", pgettext_lazy("history action", "submitted")
    IMPORTED = "imported", _("imported")
    PUBLISHED = "published", _("published")
    TASKS_MOVED = "tasks_moved", _("tasks moved")
    MERGED = "merged", _("merged")
    UNDONE = "undone", _("undone")
    CONFIRMED = "confirmed", _("confirmed")
    # A vendor link (SPEC 4.6): issued and revoked by a consultant; a vendor's submission
    # accepted into the bid or returned with a comment.
    ISSUED = "issued", _("issued")
    REVOKED = "revoked", _("revoked")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")
    # The trash (issue 18): a task or package moved there stays restorable for 30 days; a
    # task's check given to a member.
    TRASHED = "trashed", _("moved to the trash")
    RESTORED = "restored", _("restored")
    ASSIGNED = "assigned", _("assigned")


class SubjectType(models.TextChoices):
    TASK = "task", _("Task")
    ANSWERS = "answers", _("Check answers")
    OVERRIDE = "override", _("Override")
    PACKAGE = "package", _("Sourcing package")
    QUOTE = "quote", _("Quote")
    SCORE = "score", _("Scores")
    INVENTORY = "inventory", _("Inventory file")
    EVALUATIONS = "evaluations", _("Evaluation file")
    CHECKLIST = "checklist", _("Checklist version")
    CRITERION = "criterion", _("Criterion")
    RULE_TABLE = "rule_table", _("Rule table version")
    RULE = "rule", _("Decision rule")
    VENDOR_CRITERIA = "vendor_criteria", _("Vendor criteria version")
    WEIGHT = "weight", _("Vendor criterion weight")
    READINESS = "readiness", _("Readiness checklist version")
    READINESS_ITEM = "readiness_item", _("Readiness item")
    # The site's vendor registry: on the vendor's page, and in each assessment that invited it.
    VENDOR = "vendor", _("Vendor")
    # A package's bid taking the registry as it is now (vendors.services.registry.confirm).
    REGISTRY = "registry", _("Registry entry evaluated")
    # Settings the figures are computed with: an organisation's (its settings page) and an
    # assessment's own (the horizon of the cost comparison).
    ORGANISATION = "organisation", _("Organisation settings")
    ASSESSMENT = "assessment", _("Assessment settings")
    # A vendor answering by link, and what it sent (SPEC 4.6).
    VENDOR_LINK = "vendor_link", _("Vendor link")
    SUBMISSION = "submission", _("Vendor submission")
    # The evaluation panel: its members, and a consensus score with its reason.
    PANEL = "panel", _("Evaluation panel")
    CONSENSUS = "consensus", _("Consensus score")
    # The organisation's members, managed by its managers (issue 18), and moves of an
    # assessment to other checklist and rule versions.
    MEMBER = "member", _("Member")
    INVITATION = "invitation", _("Invitation")
    VERSIONS = "versions", _("Versions used")
    COMMENT = "comment", _("Comment")


class Event(models.Model):
    # Nullable: the site-wide versions (criteria, rules) belong to no organisation.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessment"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept for display once the person is deleted (or when the change came from a command).
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject_type = models.CharField(_("what"), max_length=20, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField(_("id"), null=True, blank=True)
    subject_repr = models.CharField(_("name"), max_length=300, blank=True)
    # [{"field": name, "old": text, "new": text}, …]
    changes = models.JSONField(_("changes"), default=list, blank=True)
    # What is not a field change: e.g. an import's filename, sha256 and rows.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["assessment", "-at"], name="history_assessment_at"),
            models.Index(fields=["subject_type", "subject_id"], name="history_subject"),
        ]
        verbose_name = _("history event")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.subject_repr}"
