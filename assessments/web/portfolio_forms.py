"""The filters of the portfolio home and of the departments page: plain GET forms whose choices
are only what the reader may see. A value outside them is not applied, and the form says so."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from outsourcing_advisor.accounts.models import Organisation

SORT_CHOICES = [
    ("updated", _("Recently updated first")),
    ("stage", _("Earliest step first")),
    ("candidates", _("Most candidate hours first")),
    ("name", _("Name")),
]


class _Filter(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def value(self, name: str) -> Any:
        """The field's valid value, else its default (a bad value is not applied)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or self.fields[name].initial
        return self.fields[name].initial


class PortfolioFilter(_Filter):
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("Order"), required=False, choices=SORT_CHOICES, initial="updated"
    )

    def __init__(self, data: Any, *, organisations: Sequence[Organisation]) -> None:
        super().__init__(data)
        self.fields["organisation"].choices = [
            ("", _("All organisations")),
            *((organisation.pk, organisation.name) for organisation in organisations),
        ]


class DepartmentFilter(_Filter):
    assessment = forms.TypedChoiceField(
        label=_("Counted from"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data: Any, *, assessments: Sequence[Assessment]) -> None:
        super().__init__(data)
        self.assessments = {assessment.pk: assessment for assessment in assessments}
        self.fields["assessment"].choices = [
            ("", _("The latest assessment of each department")),
            *((assessment.pk, assessment.name) for assessment in assessments),
        ]

    def chosen(self) -> Assessment | None:
        pk = self.value("assessment")
        return self.assessments.get(pk) if pk is not None else None
