"""The forms of the administrators' area (issue 18): a checklist draft (its thresholds and its
questions), a vendor-criteria draft (the eight weights) and a readiness-checklist draft (its
items), and the note a version is published with. Each form validates everything before anything
is saved (assessments/models/drafts.py saves), and every message names its field."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from assessments.domain.choices import VendorCriterion
from assessments.models.drafts import RowEdit
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    EvaluationVersion,
    EvaluationWeight,
    ReadinessItem,
    ReadinessVersion,
)
from outsourcing_advisor.common.stamps import StampField
from outsourcing_advisor.common.wording import plain_number

CODE_WIDGET = forms.TextInput(attrs={"class": "input-narrow", "autocomplete": "off"})
NUMBER_WIDGET = forms.NumberInput(attrs={"class": "input-narrow"})
NOTE_HELP = _("One line on what this version changes and why; shown with the version.")
NEGATIVE_WEIGHT = _(
    "A weight cannot be negative (%(weight)s): use 0 for a criterion that should not count, "
    "more than 1 for one that should count more."
)


def named_errors(form: forms.BaseForm, name: str = "") -> list[str]:
    """Each error of the form, its field's label (and the row's `name`) before it."""
    found = []
    for field, errors in form.errors.items():
        label = "" if field == NON_FIELD_ERRORS else str(form.fields[field].label)
        prefix = " · ".join(part for part in (name, label) if part)
        found.extend(f"{prefix}: {error}" if prefix else str(error) for error in errors)
    return found


def plain_numbers(form: forms.BaseForm) -> None:
    """Decimals shown as written (60, 2.5), not as stored (60.00, 2.50)."""
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if isinstance(field, forms.DecimalField) and isinstance(value, Decimal):
            form.initial[name] = Decimal(plain_number(value).replace(",", ""))


class YenField(forms.DecimalField):
    """An amount of yen written as people write it (5,000,000, ¥5,000,000 or 5000000) and
    shown with its thousands separators."""

    widget = forms.TextInput(attrs={"class": "input-narrow", "inputmode": "numeric"})

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            for mark in (",", "，", "¥", "￥", "円", " "):
                value = value.replace(mark, "")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int):
            return f"{value:,.0f}"
        return value


class PositionField(forms.IntegerField):
    """A row's place in its list counted from 1, as people count; stored from 0 (`order`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Position"))
        kwargs.setdefault("help_text", _("1 is shown first."))
        super().__init__(min_value=1, widget=NUMBER_WIDGET, **kwargs)

    def clean(self, value: Any) -> int | None:
        position = super().clean(value)
        return None if position is None else position - 1


class DraftForm(forms.ModelForm):
    """A draft's own fields; `seen`: the draft's stamp as the page showed it."""

    seen = StampField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_numbers(self)

    def changed_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ChecklistDraftForm(DraftForm):
    class Meta:
        model = ChecklistVersion
        fields = ["note", "non_core_at", "core_at", "max_unknown", "costly_core_yen", "scoring"]
        help_texts = {"note": NOTE_HELP}
        widgets = {
            "non_core_at": NUMBER_WIDGET,
            "core_at": NUMBER_WIDGET,
            "max_unknown": NUMBER_WIDGET,
        }
        field_classes = {"costly_core_yen": YenField}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        core, non_core = cleaned.get("core_at"), cleaned.get("non_core_at")
        if core is not None and non_core is not None and not (0 <= core < non_core <= 100):
            field = ChecklistVersion._meta.get_field
            error = forms.ValidationError(
                _(
                    "The thresholds overlap: “%(core_label)s” (%(core)s) must be lower than "
                    "“%(non_core_label)s” (%(non_core)s), and both between 0 and 100."
                ),
                params={
                    "core_label": field("core_at").verbose_name,
                    "core": plain_number(core),
                    "non_core_label": field("non_core_at").verbose_name,
                    "non_core": plain_number(non_core),
                },
                code="thresholds_overlap",
            )
            self.add_error("core_at", error)
        return cleaned


class EvaluationDraftForm(DraftForm):
    class Meta:
        model = EvaluationVersion
        fields = ["note"]
        help_texts = {"note": NOTE_HELP}


class ReadinessDraftForm(DraftForm):
    class Meta:
        model = ReadinessVersion
        fields = ["note"]
        help_texts = {"note": NOTE_HELP}


# --- rows: the questions of a checklist, the items of a readiness checklist ---------------------


class RowForm(forms.ModelForm):
    """One row of a draft. The code of a saved row is fixed: answers and readiness entries are
    kept by code, so a new code is a new row (remove the old one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = CODE_WIDGET
        if self.instance.pk is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False
        for name in ("text_ja", "text_en", "help_ja", "help_en"):  # read whole, not scrolled
            self.fields[name].widget = forms.Textarea(attrs={"rows": 2})
        plain_numbers(self)
        if "order" in self.fields:  # shown from 1 (C1 is first), stored from 0
            self.fields["order"] = PositionField(required=self.fields["order"].required)
            self.initial["order"] = (self.instance.order or 0) + 1

    @property
    def name(self) -> str:
        """How the page and its messages name the row: its code, or “New row”."""
        code = self.instance.code if self.instance.pk else self["code"].value()
        return str(code or _("New row"))

    def values(self) -> dict[str, Any]:
        names = [n for n in self._meta.fields or () if not (n == "code" and self.instance.pk)]
        return {name: self.cleaned_data[name] for name in names}


class CriterionForm(RowForm):
    class Meta:
        model = ChecklistCriterion
        fields = [
            "code",
            "order",
            "direction",
            "weight",
            "text_ja",
            "text_en",
            "help_ja",
            "help_en",
        ]
        widgets = {"order": NUMBER_WIDGET, "weight": NUMBER_WIDGET}

    def clean_weight(self) -> Any:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight < 0:
            raise forms.ValidationError(
                NEGATIVE_WEIGHT, params={"weight": plain_number(weight)}, code="negative_weight"
            )
        return weight


class ReadinessItemForm(RowForm):
    class Meta:
        model = ReadinessItem
        fields = ["code", "order", "area", "text_ja", "text_en", "help_ja", "help_en"]
        widgets = {"order": NUMBER_WIDGET}


class RowFormSet(forms.BaseModelFormSet):
    """The rows of a draft; a blank new row is left out, a code is used once."""

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")

    def clean(self) -> None:
        super().clean()
        codes: dict[str, str] = {}
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            code = form.instance.code if form.instance.pk else form.cleaned_data.get("code")
            if not code:
                continue
            key = code.strip().casefold()
            if key in codes:
                form.add_error(
                    "code" if form.instance.pk is None else None,
                    forms.ValidationError(
                        _("The code %(code)s is already used by another row."),
                        params={"code": code},
                        code="duplicate_code",
                    ),
                )
            codes.setdefault(key, code)

    def edits(self) -> tuple[list[RowEdit], list[Any]]:
        """The rows to save (changed or new) and those to remove."""
        removed = [f.instance for f in self.deleted_forms if f.instance.pk is not None]
        saved = [
            RowEdit(form.instance, form.values())
            for form in self.forms
            if form.has_changed() and form not in self.deleted_forms
        ]
        return saved, removed

    def problems(self) -> list[str]:
        found = [str(error) for error in self.non_form_errors()]
        for form in self.forms:
            found += named_errors(form, form.name)
        return found


def row_formset(form: type[RowForm]) -> Any:
    return forms.modelformset_factory(
        form.Meta.model, form=form, formset=RowFormSet, extra=0, can_delete=True
    )


CriterionFormSet = row_formset(CriterionForm)
ReadinessItemFormSet = row_formset(ReadinessItemForm)


# --- the weights of the vendor criteria ------------------------------------------------------


class WeightsForm(forms.Form):
    """The weight of each of the eight vendor criteria, in percent of a vendor's score. The
    draft may be saved while they do not add up to 100; publishing refuses it."""

    def __init__(self, *args: Any, weights: dict[str, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in VendorCriterion:
            self.fields[criterion.value] = forms.DecimalField(
                label=criterion.label,
                max_digits=5,
                decimal_places=2,
                initial=Decimal(plain_number(weights[criterion.value]))
                if criterion.value in weights
                else None,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, weight in list(cleaned.items()):
            if weight is not None and weight < 0:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "A weight cannot be negative (%(weight)s): use 0 for a criterion "
                            "that should not count."
                        ),
                        params={"weight": plain_number(weight)},
                        code="negative_weight",
                    ),
                )
        for name in self.errors:  # the template renders the inputs itself (in a % group)
            attrs = self.fields[name].widget.attrs
            attrs.update({"class": "form-control is-invalid", "aria-invalid": "true"})
            attrs["aria-describedby"] = f"{self[name].auto_id}_error"
        return cleaned

    def total(self) -> Decimal | None:
        if not self.is_bound or not self.is_valid():
            return None
        return sum(self.cleaned_data.values(), Decimal(0))

    def edits(self, rows: Iterable[EvaluationWeight]) -> list[RowEdit]:
        """A row per criterion whose weight changed (new rows for criteria the draft lacks)."""
        held = {row.criterion: row for row in rows}
        found = []
        for order, criterion in enumerate(VendorCriterion.values):
            weight = self.cleaned_data[criterion]
            row = held.get(criterion) or EvaluationWeight(criterion=criterion, order=order)
            if row.pk is None or row.weight != weight:
                found.append(RowEdit(row, {"weight": weight}))
        return found


# --- publishing ---------------------------------------------------------------------------------


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        help_text=_("Shown with the version, on the versions page of every assessment."),
    )
    seen = StampField()
