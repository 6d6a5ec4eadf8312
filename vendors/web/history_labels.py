"""How the history words this app's changes (registered in VendorsConfig.ready()): a quote's
fields (hidden from a panel still scoring blind), an evaluator's scores (sealed: their values
show to the evaluator only), a package's evaluation panel, a consensus score (sealed like the
scores of its vendor), the registry's changes, and a vendor's link and submission (which link,
when, the comment of a returned one)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.domain import independence
from assessments.domain.choices import VendorCriterion
from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import Action, Event, SubjectType
from vendors.models import Bid, Consensus, Submission
from vendors.services import registry, review, sealing


def register() -> None:
    display.register_fields(SubjectType.QUOTE, Bid)
    display.register_hiding(SubjectType.QUOTE, sealing.quote_events_hidden)
    display.register_wording(SubjectType.SCORE, _score)
    display.register_sealing(SubjectType.SCORE, sealing.score_changes_shown)
    display.register_wording(SubjectType.PANEL, _panel)
    display.register_fields(SubjectType.CONSENSUS, Consensus)
    display.register_hiding(SubjectType.CONSENSUS, sealing.consensus_events_hidden)
    for subject_type in (SubjectType.VENDOR, SubjectType.REGISTRY):
        display.register_wording(subject_type, _registry)
    # Vendors answer by link: a link issued or revoked; a submission accepted or returned.
    display.register_notes(SubjectType.VENDOR_LINK, _link_notes)
    display.register_wording(SubjectType.SUBMISSION, _submission)
    display.register_notes(SubjectType.SUBMISSION, _submission_notes)


def _score(change: Mapping[str, str], criteria: Mapping[str, str]) -> tuple[str, str, str]:
    return _score_label(change.get("field", "")), change.get("old") or "—", change.get("new") or "—"


def _panel(change: Mapping[str, str], criteria: Mapping[str, str]) -> tuple[str, str, str]:
    nobody = _("whoever scores")  # an empty panel
    return _("Members"), change.get("old") or nobody, change.get("new") or nobody


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


# --- vendors answer by link (SPEC 4.6) ---------------------------------------------------------


def _submission(change: Mapping[str, str], criteria: Mapping[str, str]) -> tuple[str, str, str]:
    """An accepted submission's change of what the package holds: a 告示37号 statement
    ("statement.<item>"), else the registry entry's (security answers, certifications)."""
    name = change.get("field", "")
    if name in SUBMISSION_PARTS:  # the vendor's own saves: which part, never its values
        label = capfirst(str(Submission._meta.get_field(name).verbose_name))
        return (
            label,
            _part(change.get("old", ""), _("earlier answers")),
            _part(change.get("new", ""), _("new answers")),
        )
    key = name.removeprefix(review.STATEMENT)
    if key != name and key in independence.BY_KEY:
        label = _("告示37号 statement: %(item)s") % {"item": independence.BY_KEY[key].short}
        return label, _statement(change.get("old", "")), _statement(change.get("new", ""))
    return registry.worded(change)


# What a vendor saves behind its link (vendors/services/portal.py records them): the history
# says which part changed, not the values (the quote's prices stay off the history page, which
# a panel scoring blind reads; the review page shows them).
SUBMISSION_PARTS = frozenset({"contact", "quote", "security", "statements", "certifications"})


def _part(value: str, words: str) -> str:
    return "—" if value in ("", "{}", "[]") else words


def _statement(value: str) -> str:
    if value == independence.YES:
        return pgettext("answer", "Yes")
    if value == independence.NO:
        return pgettext("answer", "No")
    return _("not answered")


def _moment(text: object) -> str:
    """A stored moment as the pages show it (local time), or the text as it is."""
    try:
        moment = datetime.datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _link_notes(event: Event) -> list[str]:
    expires = (event.details or {}).get("expires")
    if event.action == Action.ISSUED and expires:
        return [_("Works until %(date)s.") % {"date": _moment(expires)}]
    return []


def _submission_notes(event: Event) -> list[str]:
    """Which link the submission came through and when it was submitted; a returned one's
    comment to the vendor."""
    details = event.details or {}
    notes = []
    if details.get("link_issued") and details.get("link_by"):
        notes.append(
            _("Through the link issued %(date)s by %(name)s.")
            % {"date": _moment(details["link_issued"]), "name": details["link_by"]}
        )
    elif details.get("link_issued"):
        notes.append(
            _("Through the link issued %(date)s.") % {"date": _moment(details["link_issued"])}
        )
    if details.get("submitted"):
        notes.append(_("Submitted %(date)s.") % {"date": _moment(details["submitted"])})
    if details.get("reference"):
        notes.append(_("Receipt %(reference)s.") % {"reference": details["reference"]})
    if details.get("comment"):
        notes.append(_("Comment to the vendor: %(comment)s") % {"comment": details["comment"]})
    return notes
