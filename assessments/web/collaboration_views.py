"""Working together (issue 18): comments on a task (its check page) and on a package (its vendor
page), with @mentions of the organisation's members; a task's check given to a member; and
「自分の担当」, the checks assigned to the reader and the comments that mention them, across
their organisations.

Who may do what: every member may read and write comments, viewers included (a comment
changes nothing of the assessment: it is how a viewer on the client's side asks or answers);
each deletes only their own. Giving a check to someone is an editing role's (managers and
consultants), and only to a member with an editing role, who can save its answers. The changes
themselves are their owners' (assessments/models/collaboration.py, Assessment.assign_check)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments.domain import mentions as parsing
from assessments.domain.choices import Verdict
from assessments.models import Assessment, Comment, Package, Task, collaboration
from assessments.web.access import (
    form_id,
    get_assessment_for_user,
    get_comment_for_user,
    get_package_for_user,
    get_task_for_user,
)
from outsourcing_advisor.accounts.models import EDITING_ROLES, person_name
from outsourcing_advisor.common.stamps import atomic_post

SHOWN_MENTIONS = 50


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=collaboration.BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write the comment first.")},
    )


# --- what the pages show ------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentRow:
    comment: Comment
    author: str
    body: SafeString
    own: bool


def comment_body(comment: Comment) -> SafeString:
    """The comment's text, escaped, its mentions of the members it notified highlighted."""
    mentioned = list(comment.mentions.all())  # prefetched
    found = parsing.find(comment.body, collaboration.people(mentioned))
    pieces = parsing.pieces(comment.body, found.spans, [user.pk for user in mentioned])
    return SafeString(  # every piece escaped
        "".join(
            format_html('<mark class="mention">{}</mark>', piece)
            if mention
            else str(conditional_escape(piece))
            for piece, mention in pieces
        )
    )


def comment_rows(comments: Any, reader: Any) -> list[CommentRow]:
    return [
        CommentRow(
            comment,
            person_name(comment.author) if comment.author else _("a former user"),
            comment_body(comment),
            comment.author_id == reader.pk,
        )
        for comment in comments
    ]


def comments_context(
    request: HttpRequest,
    assessment: Assessment,
    *,
    task: Task | None = None,
    package: Package | None = None,
    form: CommentForm | None = None,
) -> dict[str, Any]:
    """What _comments.html shows of a task's or a package's comments: the comments, the form,
    and the members @ may suggest (their full names, or user names where two share one)."""
    comments = Comment.objects.on(task=task, package=package)
    people = collaboration.members(assessment.organisation_id)
    handles = collaboration.handles(people)
    if task is not None:
        action = reverse("task_comments", args=[assessment.pk, task.pk])
    else:
        assert package is not None
        action = reverse("package_comments", args=[assessment.pk, package.pk])
    return {
        "comments": comment_rows(comments, request.user),
        "comment_form": form or CommentForm(auto_id="id_comment_%s"),
        "comment_action": action,
        "mention_people": [
            {"handle": handles[user.pk], "name": person_name(user), "username": user.username}
            for user in people
        ],
    }


def _page(assessment: Assessment, task: Task | None, package: Package | None) -> str:
    if task is not None:
        return reverse("task_check", args=[assessment.pk, task.pk])
    assert package is not None
    return reverse("package_vendors", args=[assessment.pk, package.pk])


# --- comments -----------------------------------------------------------------------------------


@login_required
@require_POST
def task_comments(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """A member's comment on a task (its check page)."""
    assessment = get_assessment_for_user(request, pk)
    return _comment(request, assessment, task=get_task_for_user(request, assessment, task_pk))


@login_required
@require_POST
def package_comments(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """A member's comment on a package (its vendor page)."""
    assessment = get_assessment_for_user(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    return _comment(request, assessment, package=package)


@atomic_post
def _comment(
    request: HttpRequest,
    assessment: Assessment,
    *,
    task: Task | None = None,
    package: Package | None = None,
) -> HttpResponse:
    """Add the comment, or say why not (the text stays in the form when the page updates in
    place); the comments again, or back to the page."""
    form = CommentForm(request.POST, auto_id="id_comment_%s")
    page = _page(assessment, task, package)
    if form.is_valid():
        try:
            collaboration.add_comment(
                assessment,
                request.user,
                form.cleaned_data["body"],
                task=task,
                package=package,
                link=request.build_absolute_uri(page),
            )
        except collaboration.MentionRefused as refused:
            form.add_error("body", str(refused))
    if request.htmx:
        saved = not form.errors
        context = {"assessment": assessment, "task": task, "package": package, "saved": saved}
        context |= comments_context(
            request, assessment, task=task, package=package, form=None if saved else form
        )
        return render(request, "assessments/_comments.html", context)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    if not form.errors:
        messages.success(request, _("Comment added."))
    return redirect(page + "#comments")


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Its author deletes a comment (no one else may)."""
    assessment = get_assessment_for_user(request, pk)
    comment = get_comment_for_user(request, assessment, comment_pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    task, package = comment.task, comment.package
    collaboration.delete_comment(comment, request.user)
    if request.htmx:
        context = {"assessment": assessment, "task": task, "package": package}
        context |= comments_context(request, assessment, task=task, package=package)
        return render(request, "assessments/_comments.html", context)
    messages.success(request, _("Comment deleted."))
    return redirect(_page(assessment, task, package) + "#comments")


# --- a task's check, given to a member ----------------------------------------------------------


def assignable(assessment: Assessment) -> list[Any]:
    """Who a check may be given to: the organisation's managers and consultants."""
    return collaboration.members(assessment.organisation_id, EDITING_ROLES)


@login_required
@require_POST
@atomic_post
def task_assign(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Give the task's check to a member, or to nobody. Refused, nothing changed, when someone
    else changed who has it since the page was shown (`current`)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_task_for_user(request, assessment, task_pk)
    page = reverse("task_check", args=[assessment.pk, task.pk])
    chosen = form_id(request.POST.get("assignee"))
    if form_id(request.POST.get("current")) != (task.check_assignee_id or 0):
        now = person_name(task.check_assignee) if task.check_assignee else _("nobody")
        messages.error(
            request,
            _("Meanwhile someone else gave this check to %(name)s: nothing was changed.")
            % {"name": now},
        )
        return redirect(page + "#assignee")
    assignee = get_user_model().objects.filter(pk=chosen).first() if chosen else None
    try:
        if chosen and assignee is None:
            raise collaboration.AssigneeRefused(_("Choose a manager or consultant of the list."))
        changed = assessment.assign_check(
            task, assignee, request.user, link=request.build_absolute_uri(page)
        )
    except collaboration.AssigneeRefused as refused:
        messages.error(request, str(refused))
        return redirect(page + "#assignee")
    if changed:
        messages.success(request, _assigned_message(task, assignee))
    return redirect(page)


def _assigned_message(task: Task, assignee: Any) -> str:
    if assignee is None:
        return _("The check of “%(task)s” is no longer assigned to anyone.") % {"task": task.task}
    return _("The check of “%(task)s” is now assigned to %(name)s.") % {
        "task": task.task,
        "name": person_name(assignee),
    }


def assignment_context(assessment: Assessment, task: Task) -> dict[str, Any]:
    """What the check page shows of who has the task's check, and whom editors may give it to."""
    assignee = task.check_assignee
    choices = (
        [(u.pk, person_name(u)) for u in assignable(assessment)] if assessment.can_edit else []
    )
    if choices and assignee is not None and assignee.pk not in {pk for pk, _name in choices}:
        # Since made a viewer or gone: still shown as having it, until someone else gets it.
        name = _("%(name)s (no longer a manager or consultant)") % {"name": person_name(assignee)}
        choices.append((assignee.pk, name))
    return {"assignee_name": person_name(assignee) if assignee else "", "assignable": choices}


# --- 「自分の担当」 (my work) ----------------------------------------------------------------


@dataclass(frozen=True)
class AssignedGroup:
    assessment: Assessment
    tasks: list[Task]


@dataclass(frozen=True)
class MentionRow:
    comment: Comment
    author: str
    body: SafeString
    on: str
    url: str


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """The checks assigned to me, by assessment, and the comments that mention me, newest first,
    across my organisations: a handful of queries however many."""
    tasks = (
        Task.objects.filter(
            check_assignee=request.user,
            assessment__organisation__memberships__user=request.user,
            deleted_at__isnull=True,
        )
        .select_related("assessment__organisation", "result")
        .order_by("assessment__organisation__name", "assessment__name", "assessment_id", "position")
    )
    groups = [
        AssignedGroup(assessment, list(rows))
        for assessment, rows in groupby(tasks, key=lambda task: task.assessment)
    ]
    mentioning = Comment.objects.mentioning(request.user)[:SHOWN_MENTIONS]
    context = {
        "groups": groups,
        "open": sum(1 for g in groups for t in g.tasks if _open(t)),
        "mentions": [_mention_row(comment) for comment in mentioning],
        "shown_mentions": SHOWN_MENTIONS,
    }
    return render(request, "assessments/my_work.html", context)


def _open(task: Task) -> bool:
    """Still to check: not checked, or too many answers missing for a verdict."""
    result = task.current_result
    return result is None or result.verdict == Verdict.INCOMPLETE


def _mention_row(comment: Comment) -> MentionRow:
    assessment = comment.assessment
    if comment.task is not None:
        on = _("Task “%(name)s”") % {"name": comment.task.task}
        url = reverse("task_check", args=[assessment.pk, comment.task_id])
    else:
        on = _("Package “%(name)s”") % {"name": comment.package.name if comment.package else ""}
        url = reverse("package_vendors", args=[assessment.pk, comment.package_id])
    return MentionRow(
        comment,
        person_name(comment.author) if comment.author else _("a former user"),
        comment_body(comment),
        on,
        f"{url}#comment-{comment.pk}",
    )
