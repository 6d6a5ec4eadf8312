"""The forms of the inventory import (SPEC 4.2.1): the upload, the mapping step (which column is
which, units, unknown words, categories, the department, stated or computed hours, saving the
mapping) and the preview's confirmation."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments.domain import choices
from assessments.domain.columns import (
    ANSWER_COLUMNS,
    DURATION_KEYS,
    INVENTORY_COLUMNS,
    MONTHLY_HOURS,
)
from assessments.files import words
from assessments.files.decisions import PREFER_COMPUTED, PREFER_STATED, Decisions
from assessments.files.reading import Reading
from assessments.files.uploads import Preview

NOT_IMPORTED = ("", _("— not imported —"))
EXTRA_LABELS = {
    "monthly_hours": MONTHLY_HOURS.label,
    words.STATED_HOURS: _("Hours (monthly or annual: choose below)"),
    words.MAJOR_PROCESS: _("Major process (大分類)"),
    words.PERSON: _("Person who wrote the row (担当者)"),
}
# The unit is chosen beside a duration: the template's "(minutes)" would mislead here.
DURATION_LABELS = {
    "minutes": _("Time per occurrence"),
    "minutes_low": _("Time per occurrence (shortest)"),
    "minutes_high": _("Time per occurrence (longest)"),
}
UNIT_CHOICES = [
    ("", _("— choose —")),
    (words.MINUTE, _("minutes")),
    (words.HOUR, _("hours")),
    (words.SECOND, _("seconds")),
    (words.DAY, _("working days")),
]
PERIOD_CHOICES = [
    ("", _("— choose —")),
    (words.MONTHLY, _("per month")),
    (words.YEARLY, _("per year")),
]
PREFER_CHOICES = [
    (PREFER_STATED, _("the stated hours")),
    (PREFER_COMPUTED, _("frequency × minutes × people")),
]


def key_choices() -> list[tuple[str, Any]]:
    return [
        NOT_IMPORTED,
        *((c.key, DURATION_LABELS.get(c.key, c.label)) for c in INVENTORY_COLUMNS),
        *EXTRA_LABELS.items(),
        *((c.key, c.label) for c in ANSWER_COLUMNS),
    ]


def value_choices(key: str) -> list[tuple[str, Any]]:
    """What an unknown word of a column can be mapped to."""
    if key == "expertise":
        return [("", _("— choose —")), *((str(n), str(n)) for n in range(1, 6))]
    from assessments.domain.columns import COLUMNS_BY_KEY

    column = COLUMNS_BY_KEY[key]
    assert column.choices is not None
    return [("", _("— choose —")), *column.choices.choices]


class FileUploadForm(forms.Form):
    """A file to read, whatever its name says: formats are told by content (SPEC 4.2.1)."""

    file = forms.FileField(label=_("File"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                _("The file is larger than the %(limit)s MB limit."), params={"limit": limit}
            )
        return upload


class InventoryUploadForm(FileUploadForm):
    file = forms.FileField(
        label=_("Inventory file"),
        help_text=_(
            "The sheet you already keep, the template or an export: .xlsx, .xlsm, .xls, .ods, "
            "or CSV/TSV/text (UTF-8, Shift_JIS or UTF-16). Japanese or English headers."
        ),
    )


class MappingForm(forms.Form):
    """The decisions about one file, built from its reading: a field per column and per
    question. `decisions()` gives them back as data."""

    save_profile = forms.BooleanField(
        label=_("Save these choices for this kind of sheet"),
        required=False,
        help_text=_(
            "The next file with the same headers is read the same way without asking, also by "
            "the command line (assess --mapping NAME)."
        ),
    )
    profile_name = forms.CharField(label=_("Name of the mapping"), max_length=100, required=False)

    def __init__(self, *args: Any, reading: Reading, decisions: Decisions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading, self.previous = reading, decisions
        if len(reading.sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Sheet"),
                choices=[(name, name) for name in reading.sheets],
                initial=reading.sheet,
            )
        for position, column in enumerate(reading.columns):
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=column.name, choices=key_choices(), initial=column.key or "", required=False
            )
            if column.key in DURATION_KEYS:
                self.fields[f"unit_{position}"] = forms.ChoiceField(
                    label=_("Unit of %(column)s") % {"column": column.name},
                    choices=UNIT_CHOICES,
                    initial=column.unit or "",
                    required=False,
                )
            elif column.key == words.STATED_HOURS:
                self.fields[f"unit_{position}"] = forms.ChoiceField(
                    label=_("Period of %(column)s") % {"column": column.name},
                    choices=PERIOD_CHOICES,
                    initial=column.period or "",
                    required=False,
                )
        self.value_questions = [q for q in reading.questions if q.kind == "value"]
        for number, question in enumerate(self.value_questions):
            self.fields[f"value_{number}"] = forms.ChoiceField(
                label=question.value, choices=value_choices(question.key), required=False
            )
        self.category_departments = next(
            (q.samples for q in reading.questions if q.kind == "category"), ()
        )
        category_choices = [("", _("— choose —")), *choices.Category.choices]
        self.fields["category"] = forms.ChoiceField(
            label=_("Category for the other tasks whose category is not known"),
            choices=category_choices,
            initial=decisions.category,
            required=False,
        )
        for number, department in enumerate(self.category_departments):
            self.fields[f"category_{number}"] = forms.ChoiceField(
                label=department,
                choices=category_choices,
                initial=decisions.categories.get(department, ""),
                required=False,
            )
        if any(q.kind == "department" for q in reading.questions) or decisions.department:
            self.fields["department"] = forms.CharField(
                label=_("Department of every task"),
                max_length=100,
                initial=decisions.department,
                required=False,
            )
        self.disagreements = reading.assembled.disagreements
        if self.disagreements:
            self.fields["prefer"] = forms.ChoiceField(
                label=_("Where they disagree, keep"),
                choices=[("", _("row by row, below")), *PREFER_CHOICES],
                widget=forms.RadioSelect,
                initial=decisions.prefer,
                required=False,
            )
            for disagreement in self.disagreements:
                self.fields[f"prefer_{disagreement.row}"] = forms.ChoiceField(
                    label=_("Row %(row)s") % {"row": disagreement.row},
                    choices=[("", "—"), *PREFER_CHOICES],
                    widget=forms.RadioSelect,
                    initial=decisions.prefer_rows.get(str(disagreement.row), ""),
                    required=False,
                )

        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("save_profile") and not (data.get("profile_name") or "").strip():
            self.add_error("profile_name", _("Give the mapping a name."))
        return data

    def saved_name(self) -> str:
        """The name to save the mapping under; "" when it is not to be saved."""
        if not self.cleaned_data.get("save_profile"):
            return ""
        return (self.cleaned_data.get("profile_name") or "").strip()

    def column_rows(self) -> list[tuple[Any, Any, Any]]:
        """Each column with its key field and its unit field (None when it has none)."""
        return [
            (column, self[f"column_{p}"], self[f"unit_{p}"] if f"unit_{p}" in self.fields else None)
            for p, column in enumerate(self.reading.columns)
        ]

    def value_rows(self) -> list[tuple[Any, Any]]:
        return [(q, self[f"value_{n}"]) for n, q in enumerate(self.value_questions)]

    def category_rows(self) -> list[tuple[str, Any]]:
        return [(d, self[f"category_{n}"]) for n, d in enumerate(self.category_departments)]

    def prefer_rows(self) -> list[tuple[Any, Any]]:
        return [(d, self[f"prefer_{d.row}"]) for d in self.disagreements]

    def decisions(self) -> Decisions:
        """The previous decisions with this form's on top. Every column is recorded, so that a
        saved mapping reads the next file without relying on how headers are recognised."""
        data = self.cleaned_data
        decided = dataclasses.replace(
            self.previous,
            columns=dict(self.previous.columns),
            units=dict(self.previous.units),
            values={k: dict(v) for k, v in self.previous.values.items()},
            categories=dict(self.previous.categories),
            prefer_rows=dict(self.previous.prefer_rows),
        )
        if "sheet" in data:
            decided.sheet = data["sheet"] or None
        for position, column in enumerate(self.reading.columns):
            decided.columns[column.signature] = data.get(f"column_{position}", "")
            unit = data.get(f"unit_{position}")
            if unit:
                decided.units[column.signature] = unit
        for number, question in enumerate(self.value_questions):
            value = data.get(f"value_{number}")
            if value:
                decided.values.setdefault(question.key, {})[words.fold(question.value)] = value
        decided.category = data.get("category") or decided.category
        for number, department in enumerate(self.category_departments):
            if data.get(f"category_{number}"):
                decided.categories[department] = data[f"category_{number}"]
        if "department" in data:
            decided.department = data["department"].strip()
        if self.disagreements:
            decided.prefer = data.get("prefer", "")
            for disagreement in self.disagreements:
                choice = data.get(f"prefer_{disagreement.row}")
                if choice:
                    decided.prefer_rows[str(disagreement.row)] = choice
        return decided


def _style(form: forms.Form) -> None:
    """Bootstrap's small controls: the mapping step lays its fields out in tables."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class PreviewForm(forms.Form):
    """How to import what the preview shows: add and update, or replace (confirmed)."""

    replace = forms.TypedChoiceField(
        label=_("What to do with the current inventory"),
        choices=[
            ("0", _("Add the new tasks and update the ones already there")),
            ("1", _("Replace it: tasks that are not in the file are removed")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, preview: Preview | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preview = preview
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.preview is not None and self.preview.needs_confirmation and not data.get("confirm"):
            self.add_error(
                "confirm",
                _(
                    "Tick the box to confirm that these tasks, their answers and overrides are "
                    "removed."
                ),
            )
        return data


class MergeForm(forms.Form):
    """Departments that look like one (人事 / 人事部 / 人事課): merged into the name chosen."""

    def __init__(self, *args: Any, groups: list[tuple[str, ...]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        for number, group in enumerate(groups):
            self.fields[f"merge_{number}"] = forms.ChoiceField(
                label=" / ".join(group),
                choices=[("", _("keep them apart")), *((name, name) for name in group)],
                required=False,
            )
        _style(self)

    def merges(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for number, group in enumerate(self.groups):
            target = self.cleaned_data.get(f"merge_{number}")
            if target:
                found |= {name: target for name in group if name != target}
        return found
