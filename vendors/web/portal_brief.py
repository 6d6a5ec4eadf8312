"""What a vendor reads behind its link (SPEC 4.6): the package's RFP, or a staffing package's
staffing request, and nothing else of the organisation.

- The consultant's saved draft (assessments/web/rfp_views.py), in the language it was written
  in, as the consultant edited it, except the RFP's "Current state": the generated text gives
  the in-house cost there, which a vendor must never see (it is the price to beat). The vendor
  reads the counts and volumes instead (`current_state`), in the draft's language.
- Without a saved draft, a neutral summary made by the same functions in the vendor's language:
  a staffing request as drafted (it holds no cost), or the RFP's sections without the
  organisation's goals, the in-house cost and the tasks kept in-house (other tasks of the
  organisation).

The package's own tasks are its scope and are shown; no other task, no vendor, score or cost."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.domain import rfp, staffing
from assessments.models import Package
from assessments.models.steps import RfpDraft
from assessments.web import rfp_views
from outsourcing_advisor.common.wording import listing, reader_language


@dataclass(frozen=True)
class Brief:
    language: str  # the language the text is written in
    sections: list[tuple[str, str]]  # (heading, text), empty sections left out
    drafted: bool  # the consultant's own draft; False: a summary made from the inventory


def brief(package: Package) -> Brief:
    """The package's request as its vendors read it."""
    draft = RfpDraft.objects.filter(package=package).first()
    layout = rfp_views.layout(package)
    if draft is not None and rfp_views.fits(draft, package):
        with translation.override(draft.language):
            texts = dict(draft.sections)
            if not package.is_staffing:
                texts["current_state"] = current_state(_facts(package))
            sections = [(str(label), texts.get(key, "")) for key, label in layout]
        return Brief(draft.language, [s for s in sections if s[1].strip()], drafted=True)
    if package.is_staffing:
        texts = staffing.draft(rfp_views.staffing_facts(package.assessment, package))
    else:
        texts = summary(_facts(package))
    sections = [(str(label), texts.get(key, "")) for key, label in layout]
    return Brief(reader_language(), [s for s in sections if s[1].strip()], drafted=False)


def _facts(package: Package) -> rfp.PackageFacts:
    return rfp_views.rfp_facts(package.assessment, package)


def summary(facts: rfp.PackageFacts) -> dict[str, str]:
    """The RFP's sections for a vendor, without a saved draft: the organisation's goals, its
    in-house cost and the tasks it keeps are left out."""
    safe = dataclasses.replace(facts, goals=(), kept_in_house=(), annual_cost=Decimal(0))
    texts = rfp.draft(safe)
    texts["current_state"] = current_state(facts)
    # The scope without the heading of the tasks kept in-house (none are named to a vendor).
    left_out = {_("Out of scope (kept in-house):"), _("- none named")}
    texts["scope"] = "\n".join(line for line in texts["scope"].split("\n") if line not in left_out)
    return texts


def current_state(facts: rfp.PackageFacts) -> str:
    """The RFP's current state as a vendor reads it: how many tasks, in which departments, how
    many hours and people; never what the work costs the organisation."""
    departments = list(dict.fromkeys(task.department for task in facts.tasks))
    people = sum((Decimal(task.people or 0) for task in facts.tasks), Decimal(0))
    return "\n".join(
        [
            ngettext(
                "%(count)s task in %(departments)s.",
                "%(count)s tasks in %(departments)s.",
                len(facts.tasks),
            )
            % {"count": len(facts.tasks), "departments": listing(departments) or "—"},
            _(
                "Volume today: %(hours)s hours a year (%(fte)s full-time equivalents), done by "
                "%(people)s people."
            )
            % {
                "hours": _figure(facts.annual_hours, "0.1"),
                "fte": _figure(facts.fte, "0.01"),
                "people": f"{people.normalize():,f}",
            },
        ]
    )


def _figure(value: Decimal, places: str) -> str:
    return f"{value.quantize(Decimal(places), rounding=ROUND_HALF_UP):,}"
