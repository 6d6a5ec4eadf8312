"""The inventory's search and filters, and the bulk edit of the rows picked in its table
(issue 18: find and change many at once)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from assessments.domain.choices import Category, CheckAnswer, Frequency, Outcome, Verdict
from assessments.domain.classification import shown_suitability
from assessments.models import Task
from assessments.models.versions import ChecklistCriterion
from assessments.web.forms import ROW_FIELDS, TaskForm, TaskRowForm

# --- finding tasks ---------------------------------------------------------------------------

COMPLETE, INCOMPLETE = "complete", "incomplete"
IN_A_PACKAGE, IN_NO_PACKAGE = "in", "out"
# The columns the search box looks in: the task's name, where it sits, and what was written.
SEARCHED = ("task", "department", "process", "notes", "description")
MAX_TERMS = 10


def _search(terms: str, _filters: InventoryFilter) -> Q:
    """Each word (split at any space, the full-width one too) in one of the searched columns:
    case-insensitive, Japanese as it is written."""
    found = Q()
    for term in terms.split()[:MAX_TERMS]:
        anywhere = Q()
        for column in SEARCHED:
            anywhere |= Q(**{f"{column}__icontains": term})
        found &= anywhere
    return found


def _status(value: str, _filters: InventoryFilter) -> Q:
    decided = Q(result__isnull=False) & ~Q(result__verdict=Verdict.INCOMPLETE)
    return decided if value == COMPLETE else ~decided


def _model(value: str, _filters: InventoryFilter) -> Q:
    # The model that will be used: the consultant's override, else the recommendation.
    return Q(override__model=value) | Q(override__isnull=True, result__model=value)


# Each filter: how its value selects tasks. A new filter is a field of InventoryFilter and an
# entry here (the filters' `user` is the person asking, for one such as "assigned to me":
# `lambda value, filters: Q(check_assignee=filters.user)`).
QUERIES = {
    "q": _search,
    "department": lambda value, _filters: Q(department=value),
    "category": lambda value, _filters: Q(category=value),
    "frequency": lambda value, _filters: Q(frequency=value),
    "verdict": lambda value, _filters: Q(result__verdict=value),
    "model": _model,
    "status": _status,
    "package": lambda value, _filters: Q(package__isnull=value == IN_NO_PACKAGE),
}


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in use, in words, with the query string of the page without it."""

    name: str
    words: str
    without: str


class InventoryFilter(forms.Form):
    """The inventory's search box and filters, read from the page's query string (a link shows
    the same tasks to whoever opens it): each applies on its own and they combine. A value
    that is not one of a filter's choices is simply not applied, the others still are."""

    q = forms.CharField(label=gettext_lazy("Search"), max_length=200, required=False)
    department = forms.ChoiceField(label=gettext_lazy("Department"), required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All categories")), *Category.choices],
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("Frequency"),
        required=False,
        choices=[("", gettext_lazy("All frequencies")), *Frequency.choices],
    )
    verdict = forms.ChoiceField(
        label=gettext_lazy("Verdict"),
        required=False,
        choices=[("", gettext_lazy("All verdicts")), *Verdict.choices],
    )
    model = forms.ChoiceField(
        label=gettext_lazy("Model"),
        required=False,
        choices=[("", gettext_lazy("All recommendations")), *Outcome.choices],
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("inventory filter", "Check"),
        required=False,
        choices=[
            ("", gettext_lazy("Checked or not")),
            (COMPLETE, gettext_lazy("With a verdict")),
            (INCOMPLETE, gettext_lazy("Incomplete or not checked")),
        ],
    )
    package = forms.ChoiceField(
        label=gettext_lazy("Package"),
        required=False,
        choices=[
            ("", gettext_lazy("In a package or not")),
            (IN_A_PACKAGE, gettext_lazy("In a package")),
            (IN_NO_PACKAGE, gettext_lazy("In no package")),
        ],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("", gettext_lazy("Inventory order")),
            ("-suitability", gettext_lazy("Suitability, highest first")),
            ("suitability", gettext_lazy("Suitability, lowest first")),
            ("verdict", gettext_lazy("Verdict")),
            ("model", gettext_lazy("Model")),
            ("-annual_hours", gettext_lazy("Annual hours, most first")),
            ("-annual_cost", gettext_lazy("Annual cost, highest first")),
        ],
    )

    def __init__(
        self, data: QueryDict | None = None, *, departments: Iterable[str] = (), user: Any = None
    ) -> None:
        super().__init__(data or None, auto_id="filter-%s")
        self.user = user
        department = self.fields["department"]
        assert isinstance(department, forms.ChoiceField)
        department.choices = [("", _("All departments")), *((d, d) for d in departments)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget = forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "type": "search",
                "placeholder": _("Task, department, process or notes"),
                "data-search": "",
                "autocomplete": "off",
            }
        )

    @staticmethod
    def departments(tasks: QuerySet[Task]) -> list[str]:
        """The departments of the inventory, for the filter's choices (one query)."""
        return list(tasks.order_by("department").values_list("department", flat=True).distinct())

    def value(self, name: str) -> str:
        """A filter's value when it is valid, else "" (a bad one is simply not applied)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")

    def query(self, *, without: str = "") -> Q:
        """The tasks every filter in use selects (but `without`)."""
        found = Q()
        for name, select in QUERIES.items():
            if name != without and (value := self.value(name)):
                found &= select(value, self)
        return found

    @property
    def active(self) -> list[ActiveFilter]:
        """The filters in use, each in words with the link that takes it away."""
        found = []
        for name in QUERIES:
            value = self.value(name)
            if not value:
                continue
            field = self.fields[name]
            shown = dict(getattr(field, "choices", ())).get(value, value)
            rest = QueryDict(self.query_string, mutable=True)
            rest.pop(name, None)
            found.append(ActiveFilter(name, f"{field.label}: {shown}", rest.urlencode()))
        return found

    @property
    def query_string(self) -> str:
        """The page's query string with only what is in use (an empty value says nothing)."""
        if not self.is_bound:
            return ""
        kept = QueryDict(mutable=True)
        for name in [*QUERIES, "sort"]:
            if value := self.value(name):
                kept[name] = value
        return kept.urlencode()

    def order(self, rows: list[tuple[Task, Any]]) -> list[tuple[Task, Any]]:
        """Sorted in memory: hours and cost are derived, and the page has every row anyway."""
        sort = self.value("sort")
        if not sort:
            return rows
        key = sort.removeprefix("-")
        getters = {
            # An incomplete task has no score to sort by: it goes last, as an unchecked one.
            "suitability": lambda task, derived: (
                shown_suitability(task.current_result.verdict, task.current_result.suitability)
                if task.current_result
                else None
            ),
            "verdict": lambda task, derived: task.verdict_label or None,
            "model": lambda task, derived: task.model_label or None,
            "annual_hours": lambda task, derived: derived.annual_hours,
            "annual_cost": lambda task, derived: derived.annual_cost,
        }
        known = [row for row in rows if getters[key](*row) is not None]
        unknown = [row for row in rows if getters[key](*row) is None]
        known.sort(key=lambda row: getters[key](*row), reverse=sort.startswith("-"))
        return known + unknown  # tasks without a value last, in inventory order


# --- changing many tasks at once -------------------------------------------------------------

# What the bulk edit sets: the attributes that are often the same across tasks (not a task's
# name, description or notes), as the guided form asks them.
BULK_ATTRIBUTES = (
    *("department", "process", "category", "frequency", "occurrences", "minutes", "people"),
    *("days_per_year", "hourly_cost", "expertise", "continuity", "direct_instruction"),
    *("judgment", "requirement_changes", "tacit_knowledge", "standardizable", "manual"),
    *("people_able", "seasonality", "confidentiality", "deliverable_clear", "licensed_work"),
    *("on_site", "interviewee"),
)
ANSWER_CHOICES = [("", pgettext_lazy("bulk answer", "Not answered")), *CheckAnswer.choices]
SET, TRASH = "set", "trash"


class BulkEditForm(forms.Form):
    """The action bar of the inventory: which attribute or question to set for every selected
    task, and its value (one input per choice, `value-<name>`, shown as it is picked)."""

    def __init__(self, criteria: list[ChecklistCriterion], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="bulk-%s", **kwargs)
        guided = TaskForm()
        self.criteria = {criterion.code: criterion for criterion in criteria}
        self.fields["field"] = forms.ChoiceField(
            label=pgettext("bulk edit: what to change", "Set"),
            choices=[
                (_("Task attributes"), [(n, guided.fields[n].label) for n in BULK_ATTRIBUTES]),
                (_("Check questions"), [(c.code, str(c)) for c in criteria]),
            ],
        )
        self.fields["field"].widget.attrs.update(
            {"class": "form-select form-select-sm", "data-bulk-field": ""}
        )
        for name in BULK_ATTRIBUTES:
            field = copy.deepcopy(guided.fields[name])
            field.required = False
            field.help_text = ""
            self.fields[f"value-{name}"] = field
        for code in self.criteria:
            self.fields[f"value-{code}"] = forms.ChoiceField(
                label=code, choices=ANSWER_CHOICES, required=False
            )
        for name, field in self.fields.items():
            if name.startswith("value-"):
                field.widget.attrs.pop("autofocus", None)
                select = isinstance(field.widget, forms.Select)
                field.widget.attrs.update(
                    {
                        "class": "form-select form-select-sm"
                        if select
                        else "form-control form-control-sm",
                    }
                )

    @property
    def chosen(self) -> str:
        """What the bar shows the input of: what was posted, else the first attribute."""
        posted = str(self.data.get("field", "")) if self.is_bound else ""
        known = posted in self.criteria or posted in BULK_ATTRIBUTES
        return posted if known else BULK_ATTRIBUTES[0]

    @property
    def values(self) -> list[tuple[str, forms.BoundField]]:
        """(attribute or question, its value's input), for the template."""
        return [(name.removeprefix("value-"), self[name]) for name in self.fields if "-" in name]

    def label(self, name: str) -> str:
        if name in self.criteria:
            return name
        return str(self.fields[f"value-{name}"].label)


def row_errors(task: Task, name: str, raw: str) -> tuple[list[tuple[str, str]], Any]:
    """Whether `task` may take `raw` as its attribute `name`, by the form that edits it one at a
    time (the fast table's row for its columns, else the guided form): the errors it gives
    ((label, message)), else none and the value as cleaned. Run on a copy: the task is left
    as it is. An error the task had before (an attribute of another column out of its bounds)
    is not this change's and does not refuse it."""
    data = _form_data(task, name)
    data[name] = raw
    form = _form(task, name, data)
    if form.is_valid():
        return [], form.cleaned_data[name]
    before = _form(task, name, _form_data(task, name)).errors if name in form.cleaned_data else {}
    errors = [
        (str(form.fields[field].label) if field in form.fields else "", str(message))
        for field, messages in form.errors.items()
        for message in messages
        if message not in before.get(field, [])
    ]
    if not errors and name in form.cleaned_data:
        return [], form.cleaned_data[name]
    return errors or [(str(form.fields[name].label), _("This value cannot be saved."))], None


def _form(task: Task, name: str, data: dict[str, str] | None = None) -> forms.ModelForm[Task]:
    """The form that edits `name` of one task: the fast table's row for its columns, else the
    guided form; bound to `data` on a copy of the task (validating writes to the instance)."""
    probe = copy.copy(task) if data is not None else task
    if name in ROW_FIELDS:
        return TaskRowForm(data, instance=probe, form_id="bulk-row")
    return TaskForm(data, instance=probe)


def _form_data(task: Task, name: str) -> dict[str, str]:
    """What the form editing `name` would post for the task as it is."""
    form = _form(task, name)
    data = {}
    for field, bound in form.initial.items():
        if field in form.fields:
            data[field] = "" if bound is None else str(bound)
    for field in form.fields:
        data.setdefault(field, "")
    return data


def answer_error(raw: str) -> str:
    """ "" when `raw` is an answer the check takes (or none), else the answer grid's message."""
    try:
        forms.ChoiceField(choices=ANSWER_CHOICES, required=False).clean(raw)
    except forms.ValidationError as error:
        return " ".join(str(message) for message in error.messages)
    return ""
