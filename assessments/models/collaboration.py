"""Working together on an assessment (issue 18): comments on a task or a package, with the
members they mention, and the notices by e-mail.

`add_comment` and `delete_comment` are the one owner of comments: each is one transaction that
makes the change and records it in the assessment's history. A comment's @mentions
(assessments/domain/mentions.py) name members of the assessment's organisation only: a name that
is nobody's, or two members', refuses the comment and nothing is saved. The members mentioned,
and the member a task's check is assigned to (`Assessment.assign_check`), get a plain-text mail
in their own language when a mail server is set (`EMAIL_HOST`), once the change is committed;
without one nothing is sent, and a mail that cannot be sent is logged and changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.domain import mentions as parsing
from outsourcing_advisor.accounts.models import Membership, Profile, person_name
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType

if TYPE_CHECKING:
    from assessments.models.assessment import Assessment, Package, Task

User = settings.AUTH_USER_MODEL
BODY_LENGTH = 2000
logger = logging.getLogger(__name__)


class CommentQuerySet(models.QuerySet["Comment"]):
    def for_user(self, user: Any) -> CommentQuerySet:
        """Only the comments on assessments of the user's organisations."""
        return self.filter(assessment__organisation__memberships__user=user)

    def on(self, *, task: Task | None = None, package: Package | None = None) -> CommentQuerySet:
        """The comments on one task or one package, oldest first, with their authors and the
        members they mention (two queries however many)."""
        found = self.filter(task=task) if task is not None else self.filter(package=package)
        return found.select_related("author").prefetch_related("mentions")

    def mentioning(self, user: Any) -> CommentQuerySet:
        """The comments that mention `user` on what the user may still see (not in the
        trash), newest first, with what each is on."""
        return (
            self.for_user(user)
            .filter(mentions=user)
            .exclude(task__deleted_at__isnull=False)
            .exclude(package__deleted_at__isnull=False)
            .select_related("author", "task", "package", "assessment__organisation")
            .prefetch_related("mentions")
            .order_by("-created_at", "-id")
        )


class Comment(models.Model):
    """A member's comment on one task or one package of an assessment."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="comments"
    )
    task = models.ForeignKey(
        "assessments.Task", on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    package = models.ForeignKey(
        "assessments.Package",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), max_length=2000)
    mentions: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        User, blank=True, related_name="+", verbose_name=_("mentioned members")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False, package__isnull=True)
                | models.Q(task__isnull=True, package__isnull=False),
                name="comment_on_a_task_or_a_package",
            )
        ]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def subject(self) -> Task | Package | None:
        """The task or the package the comment is on."""
        return self.task if self.task_id is not None else self.package


# --- the members who may be mentioned or assigned ----------------------------------------------


def members(organisation_id: int, roles: Iterable[str] = ()) -> list[Any]:
    """The organisation's members (those of `roles` only, when given), by name, in one query."""
    memberships = Membership.objects.filter(organisation_id=organisation_id)
    if roles:
        memberships = memberships.filter(role__in=list(roles))
    users = [membership.user for membership in memberships.select_related("user")]
    return sorted(users, key=lambda user: (person_name(user), user.get_username()))


def people(users: Iterable[Any]) -> list[parsing.Person]:
    return [parsing.person(u.pk, u.get_username(), u.last_name, u.first_name) for u in users]


def handles(users: Sequence[Any]) -> dict[int, str]:
    """What a member is mentioned by when picked from the suggestions: their full name in the
    reader's language, or their user name when another member has the same full name."""
    names = {user.pk: person_name(user) for user in users}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    return {
        user.pk: names[user.pk] if counts[names[user.pk].casefold()] == 1 else user.get_username()
        for user in users
    }


class MentionRefused(ValueError):
    """A comment naming someone who is not a member, or whom two members share: the message
    names them, in the reader's language."""

    def __init__(self, found: parsing.Found) -> None:
        self.found = found
        parts = []
        if found.unknown:
            parts.append(
                gettext(
                    "No member of this organisation is called %(names)s. Write @ followed by a "
                    "member's user name or full name, or pick one from the list."
                )
                % {"names": listing([f"“{name}”" for name in found.unknown])}
            )
        if found.ambiguous:
            parts.append(
                gettext(
                    "%(names)s is the name of more than one member: mention them by their user "
                    "name instead."
                )
                % {"names": listing([f"“{name}”" for name in found.ambiguous])}
            )
        super().__init__(" ".join(parts))


class AssigneeRefused(ValueError):
    """A task's check given to someone who cannot do it (not a member with an editing role)."""


# --- the owner of comments -----------------------------------------------------------------------


def add_comment(
    assessment: Assessment,
    author: Any,
    body: str,
    *,
    task: Task | None = None,
    package: Package | None = None,
    link: str = "",
) -> Comment:
    """`author`'s comment on a task or a package of `assessment`, the members it @mentions
    attached, recorded, and those members (not the author) told by mail at `link` (the page's
    address) once committed. Raises MentionRefused, and saves nothing, when a mention is
    nobody's or two members'."""
    if (task is None) == (package is None):
        raise ValueError("a comment is on a task or on a package")
    body = body.strip()
    if not body or len(body) > BODY_LENGTH:
        raise ValueError(f"a comment holds 1 to {BODY_LENGTH} characters")
    everyone = {user.pk: user for user in members(assessment.organisation_id)}
    found = parsing.find(body, people(everyone.values()))
    if found.refused:  # refused before any write: the caller's transaction stays usable
        raise MentionRefused(found)
    with transaction.atomic(savepoint=False):
        return _save(
            assessment, author, body, task, package, [everyone[pk] for pk in found.mentioned], link
        )


def _save(
    assessment: Assessment,
    author: Any,
    body: str,
    task: Task | None,
    package: Package | None,
    mentioned: list[Any],
    link: str,
) -> Comment:
    comment = Comment.objects.create(
        assessment=assessment, task=task, package=package, author=author, body=body
    )
    comment.mentions.set(mentioned)
    history.record(
        author,
        SubjectType.COMMENT,
        comment,
        Action.CREATED,
        details={
            "on": "task" if task is not None else "package",
            "subject": _name(task, package),
            "mentions": [person_name(user) for user in mentioned],
        },
        assessment=assessment,
    )
    recipients = [user for user in mentioned if user.pk != author.pk]
    if recipients:
        notices = [
            _mention_notice(comment, user, f"{link}#comment-{comment.pk}") for user in recipients
        ]
        send_after_commit(notices)
    return comment


@transaction.atomic(savepoint=False)
def delete_comment(comment: Comment, user: Any) -> None:
    """The comment goes (its author's own decision); the history keeps what it said."""
    history.record(
        user,
        SubjectType.COMMENT,
        comment,
        Action.DELETED,
        details={
            "on": "task" if comment.task_id else "package",
            "subject": _name(comment.task, comment.package),
        },
        assessment=comment.assessment,
    )
    comment.delete()


def _name(task: Task | None, package: Package | None) -> str:
    return task.task if task is not None else package.name if package is not None else ""


# --- mail -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One plain-text mail, made in its recipient's language."""

    to: str
    subject: str
    body: str


def mail_configured() -> bool:
    """Whether notices are mailed: a mail server is set (EMAIL_HOST, empty by default)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def language_of(user: Any) -> str:
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def _mention_notice(comment: Comment, user: Any, url: str) -> Notice | None:
    if not mail_configured() or not user.email:
        return None
    assessment = comment.assessment
    with translation.override(language_of(user)):
        context = {
            "author": person_name(comment.author) if comment.author else "",
            "subject": _on(comment.task, comment.package),
            "assessment": assessment.name,
            "organisation": assessment.organisation.name,
            "body": comment.body,
            "url": url,
        }
        subject = gettext("%(author)s mentioned you: %(subject)s") % context
        body = render_to_string("assessments/mail/mention.txt", context)
    return Notice(user.email, subject, body)


def assignment_notice(task: Task, assignee: Any, actor: Any, url: str) -> Notice | None:
    """The mail telling `assignee` that `actor` gave them the task's check."""
    if not mail_configured() or not assignee.email:
        return None
    assessment = task.assessment
    with translation.override(language_of(assignee)):
        context = {
            "actor": person_name(actor),
            "task": task.task,
            "assessment": assessment.name,
            "organisation": assessment.organisation.name,
            "url": url,
        }
        subject = gettext("The check of “%(task)s” is assigned to you") % context
        body = render_to_string("assessments/mail/assigned.txt", context)
    return Notice(assignee.email, subject, body)


def _on(task: Task | None, package: Package | None) -> str:
    if task is not None:
        return gettext("the task “%(name)s”") % {"name": task.task}
    return gettext("the package “%(name)s”") % {"name": package.name if package else ""}


def send_after_commit(notices: Iterable[Notice | None]) -> None:
    """Send the notices once the change is committed (none if it is rolled back)."""
    found = [notice for notice in notices if notice is not None]
    if found:
        transaction.on_commit(lambda: send(found))


def send(notices: Sequence[Notice]) -> int:
    """Send each notice; a mail server that refuses is logged, and nothing else happens (the
    change stands, the pages show it). How many left."""
    sent = 0
    try:
        with get_connection() as connection:
            for notice in notices:
                subject = " ".join(notice.subject.split())
                sent += EmailMessage(
                    subject, notice.body, None, [notice.to], connection=connection
                ).send()
    except OSError:  # smtplib's errors are OSErrors
        logger.warning("A notice could not be mailed.", exc_info=True)
    return sent
