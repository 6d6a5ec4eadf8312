"""The forms of the workflow's own steps: goals (1), the readiness grid (5), KPI/SLA targets and
a month of actuals (6). Each validates everything before anything is saved."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from assessments.domain.workflow import Alternative, Goal, parse_month, parse_number, rank_problems
from assessments.models import Assessment
from assessments.models.steps import (
    GOAL_FIELDS,
    Goals,
    Kpi,
    KpiActual,
    ReadinessStatus,
    ReadinessValues,
)
from assessments.models.versions import ReadinessItem
from outsourcing_advisor.common.stamps import StampedModelForm, StampField
from outsourcing_advisor.common.wording import listing

RANK_CHOICES = [("", "—"), *((rank, str(rank)) for rank in range(1, len(Goal.values) + 1))]
# Stored as DecimalField(max_digits=18, decimal_places=4).
LARGEST_FIGURE = Decimal("1e14")
FIGURE_PLACES = Decimal("0.0001")


def month_label(month: datetime.date) -> str:
    """“2026年4月” / “April 2026”, in the reader's language."""
    return date_format(month, "YEAR_MONTH_FORMAT")


class FigureField(forms.Field):
    """A figure as people type it: full-width digits and thousands commas are fine."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": 40})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        number = parse_number(text[:40])
        if number is None or len(text) > 40:
            raise forms.ValidationError(
                _("“%(value)s” is not a number."),
                code="not_a_number",
                params={"value": text[:40]},
            )
        if abs(number) >= LARGEST_FIGURE:
            raise forms.ValidationError(
                _("“%(value)s” is too large."), code="too_large", params={"value": text}
            )
        return number.quantize(FIGURE_PLACES)


# --- step 1 --------------------------------------------------------------------------------


class GoalsForm(forms.ModelForm):
    seen = StampField()

    class Meta:
        model = Goals
        fields = GOAL_FIELDS
        widgets = {
            **{f"{goal}_note": forms.Textarea(attrs={"rows": 1}) for goal in Goal.values},
            **{f"{key}_note": forms.Textarea(attrs={"rows": 1}) for key in Alternative.values},
            "alternatives_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rank_messages: list[str] = []  # each rank given twice, said once in the summary
        for goal, label in Goal.choices:
            self.fields[f"{goal}_rank"] = forms.TypedChoiceField(
                label=_("Rank of “%(goal)s”") % {"goal": label},
                choices=RANK_CHOICES,
                coerce=int,
                error_messages={
                    "required": _("Give “%(goal)s” a rank from 1 to 4.") % {"goal": label}
                },
            )
            self.fields[f"{goal}_note"].label = _("What “%(goal)s” means here") % {"goal": label}
        for key, label in Alternative.choices:
            self.fields[key].label = label
            self.fields[f"{key}_note"].label = _("What came of it")
        self.fields["alternatives_note"].label = _("Other alternatives, and why outsourcing")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "seen",
            Fieldset(
                _("What should improve, in order (1 = most important)"),
                *(
                    Div(
                        Div(f"{goal}_rank", css_class="col-sm-4 col-lg-3"),
                        Div(f"{goal}_note", css_class="col-sm-8 col-lg-9"),
                        css_class="row",
                    )
                    for goal in Goal.values
                ),
            ),
            Fieldset(
                _("Alternatives considered before outsourcing"),
                HTML(
                    '<p class="small text-body-secondary">{}</p>'.format(
                        _(
                            "Comparing outsourcing with what could be done in-house makes the "
                            "decision easier to explain and to agree on."
                        )
                    )
                ),
                *(
                    Div(
                        Div(Field(key), css_class="col-sm-4 col-lg-3 pt-sm-4"),
                        Div(f"{key}_note", css_class="col-sm-8 col-lg-9"),
                        css_class="row",
                    )
                    for key in Alternative.values
                ),
                "alternatives_note",
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        labels = dict(Goal.choices)
        ranks = {goal: data.get(f"{goal}_rank") for goal in Goal.values}
        self.rank_messages = []
        for rank, goals in rank_problems(ranks):
            message = _("Rank %(rank)d is given to %(goals)s: give each goal a different rank.") % {
                "rank": rank,
                "goals": listing([str(labels[goal]) for goal in goals]),
            }
            self.rank_messages.append(message)
            for goal in goals:
                self.add_error(f"{goal}_rank", message)
        return data

    def problems(self) -> list[str]:
        """Each field's errors once, for the summary above the form (a rank given twice is one
        problem). Crispy shows the errors of the whole form itself."""
        found: list[str] = []
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            for error in errors:
                shared = error in self.rank_messages
                text = error if shared else f"{self.fields[name].label}: {error}"
                if text not in found:
                    found.append(text)
        return found


# --- step 5 --------------------------------------------------------------------------------


class ReadinessForm(forms.Form):
    """One row per item of the pinned checklist: owner, status, note."""

    seen = StampField()

    def __init__(self, items: list[ReadinessItem], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"owner_{item.pk}"] = forms.CharField(
                label=_("%(code)s owner") % {"code": item.code}, max_length=100, required=False
            )
            self.fields[f"status_{item.pk}"] = forms.ChoiceField(
                label=_("%(code)s status") % {"code": item.code},
                choices=ReadinessStatus.choices,
                initial=ReadinessStatus.NOT_STARTED,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("%(code)s note") % {"code": item.code},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def values(self) -> dict[int, ReadinessValues]:
        data = self.cleaned_data
        return {
            item.pk: ReadinessValues(
                data[f"owner_{item.pk}"].strip(),
                data[f"status_{item.pk}"],
                data[f"note_{item.pk}"].strip(),
            )
            for item in self.items
        }

    def rows(self) -> list[tuple[ReadinessItem, dict[str, forms.BoundField]]]:
        return [
            (item, {name: self[f"{name}_{item.pk}"] for name in ("owner", "status", "note")})
            for item in self.items
        ]

    def problems(self) -> list[str]:
        """Each error, naming the item."""
        found = []
        for item in self.items:
            for name in ("owner", "status", "note"):
                for error in self.errors.get(f"{name}_{item.pk}", []):
                    # The label names the item already ("R01 owner").
                    found.append(f"{self.fields[f'{name}_{item.pk}'].label}: {error}")
        return found


# --- step 6 --------------------------------------------------------------------------------


class KpiForm(StampedModelForm):
    target = FigureField(label=_("Target"))

    class Meta:
        model = Kpi
        fields = ["name", "unit", "target", "direction", "package"]
        help_texts = {
            "name": _("e.g. On-time payroll rate, Error rate, First response time"),
            "unit": _("e.g. %, cases, hours"),
        }

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["package"].queryset = assessment.packages.all()
        self.fields["package"].empty_label = _("— the whole assessment —")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "seen",
            Div(
                Div("name", css_class="col-md-4"),
                Div("unit", css_class="col-md-2"),
                Div("target", css_class="col-md-2"),
                Div("direction", css_class="col-md-2"),
                Div("package", css_class="col-md-2"),
                css_class="row",
            ),
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = self.assessment.kpis.filter(name=name).exclude(pk=self.instance.pk)
        if name and taken.exists():
            raise forms.ValidationError(
                _("There is already a KPI named “%(name)s”."), params={"name": name}
            )
        return name

    def save(self, commit: bool = True) -> Kpi:
        kpi = super().save(commit=False)
        kpi.assessment = self.assessment
        if kpi.pk is None:
            kpi.position = self.assessment.kpis.count()
        if commit:
            kpi.save()
        return kpi


class ActualsForm(forms.Form):
    """One month's actuals: a figure per KPI (those left empty are not recorded)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-04"}),
        help_text=_("Year and month, e.g. 2026-04"),
    )

    def __init__(self, kpis: list[Kpi], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        for kpi in kpis:
            # crispy prints help texts unescaped (|safe): the unit is the user's own text.
            self.fields[f"value_{kpi.pk}"] = FigureField(
                label=kpi.name, required=False, help_text=conditional_escape(kpi.target_text)
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("month", css_class="col-sm-6 col-md-3 col-xl-2"),
                *(Div(f"value_{kpi.pk}", css_class="col-sm-6 col-md-3 col-xl-2") for kpi in kpis),
                css_class="row",
            ),
        )

    def clean_month(self) -> datetime.date:
        text = self.cleaned_data["month"]
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a month: enter the year and month, e.g. 2026-04."),
                params={"value": text},
            )
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(
                _("%(month)s has not started yet: record actuals once the month is under way."),
                params={"month": month_label(month)},
            )
        return month

    def values(self) -> dict[int, Decimal]:
        return {
            kpi.pk: self.cleaned_data[f"value_{kpi.pk}"]
            for kpi in self.kpis
            if self.cleaned_data.get(f"value_{kpi.pk}") is not None
        }

    def clean(self) -> dict[str, Any]:
        """At least one figure, and none for a month already recorded (said even when a figure
        is also wrong, so that one correction is enough)."""
        data = super().clean()
        entered = [
            kpi.pk
            for kpi in self.kpis
            if str(self.data.get(self.add_prefix(f"value_{kpi.pk}"), "")).strip()
        ]
        if not entered:
            raise forms.ValidationError(
                _("Nothing was saved: enter a figure for at least one KPI.")
            )
        if data.get("month") is None:
            return data
        taken = KpiActual.objects.filter(kpi__in=entered, month=data["month"])
        names = list(taken.values_list("kpi__name", flat=True))
        if names:
            self.add_error(
                "month",
                forms.ValidationError(
                    _(
                        "%(month)s is already recorded for %(kpis)s: delete that month below "
                        "to enter it again."
                    ),
                    params={"month": month_label(data["month"]), "kpis": listing(names)},
                ),
            )
        return data

    def problems(self) -> list[str]:
        """The fields' errors, named; crispy shows the errors of the whole form itself."""
        found = []
        for name, errors in self.errors.items():
            if name != NON_FIELD_ERRORS:
                label = self.fields[name].label
                found.extend(f"{label}: {error}" for error in errors)
        return found
