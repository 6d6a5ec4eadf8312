"""How the history words this app's changes (registered in VendorsConfig.ready()): a quote's
fields, an evaluator's scores (sealed: their values show to the evaluator only) and the
registry's changes."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from assessments.domain.choices import VendorCriterion
from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import SubjectType
from vendors.models import Bid
from vendors.services import registry, sealing


def register() -> None:
    display.register_fields(SubjectType.QUOTE, Bid)
    display.register_wording(SubjectType.SCORE, _score)
    display.register_sealing(SubjectType.SCORE, sealing.score_changes_shown)
    for subject_type in (SubjectType.VENDOR, SubjectType.REGISTRY):
        display.register_wording(subject_type, _registry)


def _score(change: Mapping[str, str], criteria: Mapping[str, str]) -> tuple[str, str, str]:
    return _score_label(change.get("field", "")), change.get("old") or "—", change.get("new") or "—"


def _registry(change: Mapping[str, str], criteria: Mapping[str, str]) -> tuple[str, str, str]:
    return registry.worded(change)


def _score_label(name: str) -> str:
    labels = dict(VendorCriterion.choices)
    if name.startswith("comment_") and name.removeprefix("comment_") in labels:
        return _("Comment on “%(criterion)s”") % {
            "criterion": labels[name.removeprefix("comment_")]
        }
    if name == "general":
        return _("Overall comment")
    if name == "submitted":
        return _("Submitted")
    return str(labels.get(name, name))
