"""The forms of the evaluation panel (SPEC 4.6): who sits on a package's panel, and a consensus
score with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.domain.choices import VendorCriterion
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.stamps import StampField
from vendors.services.panel import REASON_LENGTH
from vendors.web.forms import SCORE_CHOICES


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class PanelForm(forms.Form):
    """The panel as checkboxes over the organisation's managers and consultants; none ticked is
    an empty panel: whoever scores."""

    members = MemberChoices(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Panel members"),
        help_text=_(
            "Tick who scores this package's vendors. They see no price until every one of them "
            "has submitted. Nobody ticked: whoever scores, without blind prices."
        ),
    )

    def __init__(self, candidates: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates  # type: ignore[attr-defined]


class ConsensusForm(forms.Form):
    """The consensus score of one criterion, with the reason it was agreed (required)."""

    criterion = forms.ChoiceField(choices=VendorCriterion.choices, widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("Consensus score"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the consensus score, from 1 to 5.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the panel agreed on this score: what it weighed, and whose view it took."),
        error_messages={"required": _("Write the reason for the consensus score.")},
    )
    seen = StampField()
