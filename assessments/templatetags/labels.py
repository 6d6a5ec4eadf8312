"""Choice keys shown as their labels in the reader's language (see choices.label), and what the
rows of the inventory and package tables show (`task_lines`, `package_task_lines`: their
templates, _task_row.html and _package_task_row.html, render them)."""

from __future__ import annotations

import html
from collections.abc import Container, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import template
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from assessments.domain import choices
from assessments.domain.choices import Outcome, VendorCriterion, Verdict
from assessments.models import Task
from assessments.templatetags.figures import DASH, fte, hours, number, yen
from outsourcing_advisor.accounts.models import person_name

if TYPE_CHECKING:
    from assessments.domain.inventory import Derived
    from assessments.models import Assessment

register = template.Library()


@register.filter
def verdict_label(value: str) -> str:
    return choices.label(Verdict, value) if value else ""


@register.filter
def model_label(value: str) -> str:
    return choices.label(Outcome, value) if value else ""


@register.filter
def criterion_label(value: str) -> str:
    return choices.label(VendorCriterion, value) if value else ""


@register.filter
def lookup(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """mapping[key], or None: for tables keyed by criterion or id."""
    return mapping.get(key) if mapping else None


@register.filter
def person(user: Any) -> str:
    """A person as pages name them (佐藤 健二 in Japanese); the login ID only without a name."""
    return person_name(user) if user else ""


# --- the rows of the inventory table ---------------------------------------------------------


@register.simple_tag
def task_lines(
    assessment: Assessment,
    rows: Iterable[tuple[Task, Derived]] = (),
    task: Task | None = None,
    derived: Derived | None = None,
) -> list[dict[str, Any]]:
    """What each row of the inventory table shows (_task_row.html renders them), formatted and
    escaped: for every (task, derived) of `rows`, or for the one `task` of an htmx response.

    Worked out here rather than cell by cell in the template: a page has a thousand rows of
    fifteen cells, and there each cell cost a lookup, a translation, a reverse() or an escape
    (some 60 ms a page). Here what every row shares (labels, links) is worked out once per page
    and each value is escaped once, exactly as the template escaped it; the template only puts
    the values in their cells."""
    line = _Line(assessment)
    pairs = [(task, derived)] if task is not None and derived is not None else rows
    return [line(task, derived) for task, derived in pairs]


class _Line:
    """One row's values, formatted and escaped, with what is the same for every row of a page
    worked out once."""

    def __init__(self, assessment: Assessment) -> None:
        self.edit, self.check, self.row_edit = (
            TaskLink(name, assessment.pk) for name in ("task_edit", "task_check", "task_row_edit")
        )
        self.categories, self.frequencies = _Labels(choices.Category), _Labels(choices.Frequency)
        self.verdicts, self.outcomes = _Labels(Verdict), _Labels(Outcome)
        # How the template shows an integer: its digits, unless numbers are grouped by thousands.
        # localize() finds that out anew for each one, at a cost that adds up over a page.
        self.integer = localize if settings.USE_THOUSAND_SEPARATOR else str
        # Who has each check (issue 18), read on the first row that has one.
        self.assignees = _Assignees(assessment.pk)

    def __call__(self, task: Task, derived: Derived) -> dict[str, Any]:
        pk, result, model = str(task.pk), task.current_result, task.final_model
        return {
            "id": _escape(self.integer(task.pk)),
            "pk": task.pk,  # the row's checkbox is checked when `selected` holds it
            "department": _escape(task.department),
            "process": _escape(task.process),
            "task": _escape(task.task),
            "dependency": derived.single_person_dependency,
            "category": self.categories[task.category],
            "frequency": self.frequencies[task.frequency] if task.frequency else DASH,
            # figures.py writes digits, separators, signs, "¥" and "—": nothing to escape.
            "occurrences": SafeString(number(task.occurrences)),
            "minutes": SafeString(number(task.minutes)),
            "people": SafeString(number(task.people)),  # as people write it: 0.5, 1, 40
            "annual_occurrences": SafeString(number(derived.annual_occurrences)),
            "annual_hours": SafeString(hours(derived.annual_hours)),
            "stated": task.annual_hours is not None,
            "fte": SafeString(fte(derived.fte)),
            "annual_cost": SafeString(yen(derived.annual_cost)),
            "verdict": self.verdicts[result.verdict] if result is not None else "",
            "model": self.outcomes[model] if model else DASH,
            "edit_url": self.edit.url(pk),
            "check_url": self.check.url(pk),
            "row_edit_url": self.row_edit.url(pk),
            "assignee": self.assignees.of(getattr(task, "check_assignee_id", None)),
        }


def _escape(value: object) -> SafeString:
    """What the template does to a value it shows: conditional_escape(). Plain text, nearly every
    value, is escaped directly: Django's escape() is the same, behind a wrapper for lazy strings
    that costs more than the escaping itself."""
    if type(value) is str:
        return SafeString(html.escape(value))
    return conditional_escape(value)


class _Assignees(dict[int, SafeString]):
    """The names of the people the assessment's checks are assigned to, escaped: one query on the
    first row that has one, none for a page where no check is assigned."""

    def __init__(self, assessment_pk: int) -> None:
        super().__init__()
        self.assessment_pk, self.loaded = assessment_pk, False

    def of(self, user_pk: int | None) -> SafeString | str:
        if user_pk is None:
            return ""
        if not self.loaded:
            self.loaded = True
            people = get_user_model().objects.filter(
                pk__in=Task.objects.filter(assessment_id=self.assessment_pk).values(
                    "check_assignee"
                )
            )
            self.update({user.pk: _escape(person_name(user)) for user in people})
        return self.get(user_pk, "")


class _Labels(dict[str, SafeString]):
    """choices.label(), escaped, of each value met: once per page rather than once per row."""

    def __init__(self, choice_class: type[models.TextChoices]) -> None:
        super().__init__()
        self.choice_class = choice_class

    def __missing__(self, value: str) -> SafeString:
        label = self[value] = _escape(choices.label(self.choice_class, value))
        return label


class TaskLink:
    """{% url name assessment.pk task.pk %} for every task of a page: reverse() once, with a
    stand-in id, then each task's id put in its place."""

    STAND_IN = "987654321"

    def __init__(self, name: str, assessment_pk: int) -> None:
        self.name, self.assessment_pk = name, assessment_pk
        url = reverse(name, args=[assessment_pk, int(self.STAND_IN)])
        before, found, after = url.rpartition(self.STAND_IN)
        # Escaped as the url tag escapes; a task id is digits, so escaping the parts is the same.
        self.parts = (html.escape(before), html.escape(after)) if found else None

    def url(self, task_pk: str) -> SafeString:
        if self.parts is None:  # the id does not show as such in the URL: reverse each one
            return _escape(reverse(self.name, args=[self.assessment_pk, task_pk]))
        before, after = self.parts
        return SafeString(before + task_pk + after)


@register.simple_tag
def task_url(link: TaskLink, task_pk: int) -> SafeString:
    """A task's link from a `TaskLink` built once per page."""
    return link.url(str(task_pk))


@register.simple_tag
def package_task_lines(
    rows: Iterable[tuple[Task, Derived, bool]],
    check_link: TaskLink,
    misplaced: Container[int] = (),
) -> list[dict[str, Any]]:
    """What each task row of a package's table shows (_package_task_row.html renders them),
    escaped once here for the same reason as `task_lines`: a package may hold hundreds of tasks
    and each template cell costs a lookup and an escape. `misplaced`: the ids of the tasks that
    no longer fit the package, flagged in their row."""
    models_ = _Labels(Outcome)
    return [
        {
            "pk": str(task.pk),
            "misplaced": task.pk in misplaced,
            "task": _escape(task.task),
            "department": _escape(task.department),
            "sensitive": sensitive,
            "model": models_[task.final_model] if task.final_model else "",
            # figures.py writes digits, separators, signs, "¥" and "—": nothing to escape.
            "annual_hours": SafeString(hours(derived.annual_hours)),
            "annual_cost": SafeString(yen(derived.annual_cost)),
            "check_url": check_link.url(str(task.pk)),
        }
        for task, derived, sensitive in rows
    ]
