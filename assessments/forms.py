from __future__ import annotations

from pathlib import PurePath
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments import importing
from assessments.columns import FILE_COLUMNS, INVENTORY_COLUMNS
from assessments.models import Assessment, Task, Verdict
from assessments.versions import Outcome

EXPERTISE_CHOICES = [
    ("", "—"),
    (1, _("1 — anyone after a short briefing")),
    (2, _("2 — some experience")),
    (3, _("3 — trained staff")),
    (4, _("4 — specialist knowledge")),
    (5, _("5 — qualification or years of expertise")),
]

TASK_HELP = {column.key: column.help_text for column in INVENTORY_COLUMNS if column.help_text}

TASK_FIELDS = [column.key for column in INVENTORY_COLUMNS]
ROW_FIELDS = [
    "department",
    "process",
    "task",
    "category",
    "frequency",
    "occurrences",
    "minutes",
    "people",
]


def check_daily_minutes(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """The same absurd-value check as the importer: no one works more than 24 hours a day."""
    minutes, occurrences = data.get("minutes"), data.get("occurrences")
    if (
        data.get("frequency") == "daily"
        and minutes
        and occurrences
        and minutes * occurrences > 1440
    ):
        form.add_error("minutes", _("More than 24 hours a day for one person."))
    return data


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class TaskForm(forms.ModelForm):
    """The guided form for one task, in groups a manager can follow from top to bottom."""

    expertise = forms.TypedChoiceField(
        label=_("Expertise"),
        choices=EXPERTISE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Task
        fields = TASK_FIELDS
        help_texts = TASK_HELP
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("What the work is"),
                Div(
                    Div("department", css_class="col-md-4"),
                    Div("process", css_class="col-md-4"),
                    Div("category", css_class="col-md-4"),
                    css_class="row",
                ),
                "task",
                "description",
            ),
            Fieldset(
                _("How much of it there is"),
                Div(
                    *[
                        Div(f, css_class="col-md-4")
                        for f in ("frequency", "occurrences", "minutes")
                    ],
                    css_class="row",
                ),
                Div(
                    Div("people", css_class="col-md-4"),
                    Div("hourly_cost", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Who can do it and how"),
                Div(
                    *[
                        Div(f, css_class="col-md-4")
                        for f in (
                            "expertise",
                            "standardizable",
                            "manual",
                            "people_able",
                            "seasonality",
                            "confidentiality",
                        )
                    ],
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Can it be handed over?"),
                Div(
                    *[
                        Div(f, css_class="col-md-4")
                        for f in (
                            "continuity",
                            "deliverable_clear",
                            "direct_instruction",
                            "judgment",
                            "requirement_changes",
                            "tacit_knowledge",
                        )
                    ],
                    css_class="row",
                ),
            ),
            Fieldset(_("Interview"), "interviewee", "notes"),
        )

    def clean(self) -> dict[str, Any]:
        return check_daily_minutes(self, super().clean())


class TaskRowForm(forms.ModelForm):
    """The inline row of the fast table: the fields that decide hours, keyboard first."""

    class Meta:
        model = Task
        fields = ROW_FIELDS

    def __init__(self, *args: Any, form_id: str, autofocus: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update(
                {
                    "form": form_id,
                    "class": "form-control form-control-sm",
                    "aria-label": field.label,
                }
            )
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
        if autofocus:
            self.fields["department"].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        return check_daily_minutes(self, super().clean())


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Inventory file"),
        help_text=_(".xlsx or .csv (UTF-8 or Shift_JIS), Japanese or English headers."),
    )
    replace = forms.TypedChoiceField(
        label=_("What to do with the current inventory"),
        choices=[("1", _("Replace it with the file")), ("0", _("Add the file's tasks to it"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("upload", _("Check and import")))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                _("The file is larger than the %(limit)s MB limit."), params={"limit": limit}
            )
        if PurePath(upload.name).suffix.lower() not in {".xlsx", ".csv", ".txt"}:
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: which inventory field it holds, or ignore it."""

    def __init__(
        self, *args: Any, headers: list[str], initial_mapping: importing.Mapping, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— ignore this column —"))] + [
            (column.key, column.label) for column in FILE_COLUMNS
        ]
        for index, header in enumerate(headers):
            if not header:
                continue
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=importing.column_name(index, header),
                choices=choices,
                required=False,
                initial=initial_mapping.get(index, ""),
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("import", _("Import with this mapping")))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems = importing.check_mapping(self.headers, self.mapping)
        for problem in problems:
            self.add_error(None, str(problem))
        return data

    @property
    def mapping(self) -> importing.Mapping:
        return {
            int(name.removeprefix("col_")): key
            for name, key in self.cleaned_data.items()
            if name.startswith("col_") and key
        }


class InventoryFilter(forms.Form):
    """The inventory table's filters; a value outside the choices is simply not applied."""

    verdict = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("All verdicts")), *Verdict.choices]
    )
    model = forms.ChoiceField(
        label=_("Model"), required=False, choices=[("", _("All models")), *Outcome.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def lookups(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        found = {}
        if self.cleaned_data["verdict"]:
            found["result__verdict"] = self.cleaned_data["verdict"]
        if self.cleaned_data["model"]:
            found["result__model"] = self.cleaned_data["model"]
        return found
