"""Working together on an assessment (issue 18): comments on a task or a package, with the
members they mention."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class CommentQuerySet(models.QuerySet["Comment"]):
    pass


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
    mentions = models.ManyToManyField(
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
