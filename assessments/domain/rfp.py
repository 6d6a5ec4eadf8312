"""The first draft of a request for proposal (RFP, 提案依頼書) for one sourcing package, written
from the inventory (SPEC 4.7). Pure: the caller gathers `PackageFacts` and activates the language
the draft is written in; the consultant edits the text before sending it.

The seven sections are the minimum an RFP needs so that vendors' proposals can be compared:
purpose and background, current state, scope and exclusions, proposed KPI/SLA, communication,
transition (with a parallel run) and the security requirements that follow from the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from outsourcing_advisor.common.wording import listing

SECTIONS: tuple[tuple[str, object], ...] = (
    ("purpose", gettext_lazy("Purpose and background")),
    ("current_state", gettext_lazy("Current state")),
    ("scope", gettext_lazy("Scope and exclusions")),
    ("kpi_sla", gettext_lazy("Proposed KPI and SLA")),
    ("communication", gettext_lazy("Communication plan")),
    ("transition", gettext_lazy("Transition plan")),
    ("security", gettext_lazy("Security requirements")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)

# Months of running in-house and with the vendor side by side before handing over: longer where
# the work is continuous and carries the organisation's processes (BPO, ITO).
PARALLEL_MONTHS = {
    "bpo": 2,
    "ito": 2,
    "kpo": 1,
    "dispatch": 0,
    "crowdsourcing": 0,
    "subcontract": 1,
}


@dataclass(frozen=True)
class TaskLine:
    department: str
    process: str
    task: str
    annual_hours: Decimal | None
    people: Decimal | int | None  # may be fractional: 0.5 for a person shared with other work
    single_person: bool = False
    category: str = ""  # the Category key (security section: My Number in scope)
    licensed_work: str = ""  # the LicensedWork key, "" for none


@dataclass(frozen=True)
class PackageFacts:
    organisation: str
    package: str  # its name
    model: str  # the Outcome key
    model_label: str
    tasks: Sequence[TaskLine]
    annual_hours: Decimal
    fte: Decimal
    annual_cost: Decimal
    confidentiality: frozenset[str] = frozenset()  # levels of its tasks
    kept_in_house: Sequence[str] = ()  # tasks of the same departments that stay (exclusions)
    goals: Sequence[str] = ()  # the assessment's goals, most important first, in words
    kpis: Sequence[str] = field(default_factory=tuple)  # targets already recorded, in words


def _figure(value: Decimal, places: str) -> str:
    return f"{value.quantize(Decimal(places), rounding=ROUND_HALF_UP):,}"


def draft(facts: PackageFacts) -> dict[str, str]:
    """Every section's text, in the active language, keyed as SECTION_KEYS."""
    return {
        "purpose": _purpose(facts),
        "current_state": _current_state(facts),
        "scope": _scope(facts),
        "kpi_sla": _kpi_sla(facts),
        "communication": _communication(),
        "transition": _transition(facts),
        "security": _security(facts),
    }


def _purpose(facts: PackageFacts) -> str:
    text = _(
        "%(organisation)s asks for proposals to take over the work of the package “%(package)s” "
        "(%(model)s). The work was found non-core in a task-by-task review of the back office: "
        "handing it to a specialist should free the organisation's people for the work that "
        "sets it apart."
    ) % {"organisation": facts.organisation, "package": facts.package, "model": facts.model_label}
    if facts.goals:
        text += "\n" + _(
            "What the organisation wants to improve, most important first: %(goals)s."
        ) % {"goals": listing(facts.goals)}
    return text


def _current_state(facts: PackageFacts) -> str:
    departments = list(dict.fromkeys(t.department for t in facts.tasks))
    people = sum((Decimal(t.people or 0) for t in facts.tasks), Decimal(0))
    lines = [
        ngettext(
            "%(count)s task in %(departments)s.",
            "%(count)s tasks in %(departments)s.",
            len(facts.tasks),
        )
        % {"count": len(facts.tasks), "departments": listing(departments) or "—"},
        _(
            "Volume today: %(hours)s hours a year (%(fte)s full-time equivalents), done by "
            "%(people)s people; in-house cost about ¥%(cost)s a year."
        )
        % {
            "hours": _figure(facts.annual_hours, "0.1"),
            "fte": _figure(facts.fte, "0.01"),
            "people": f"{people.normalize():,f}",  # as people write it: 2.5, 3, never 3.00
            "cost": _figure(facts.annual_cost, "1"),
        },
    ]
    single = sum(t.single_person for t in facts.tasks)
    if single:
        lines.append(
            ngettext(
                "%(count)s task depends on a single person today: its procedure is to be written "
                "down with the vendor during the transition.",
                "%(count)s tasks depend on a single person today: their procedures are to be "
                "written down with the vendor during the transition.",
                single,
            )
            % {"count": single}
        )
    return "\n".join(lines)


def _scope(facts: PackageFacts) -> str:
    lines = [_("In scope:")]
    for task in facts.tasks:
        hours = "" if task.annual_hours is None else _figure(task.annual_hours, "0.1")
        lines.append(
            _("- %(department)s / %(process)s / %(task)s (%(hours)s h a year)")
            % {
                "department": task.department,
                "process": task.process,
                "task": task.task,
                "hours": hours or "—",
            }
        )
    lines.append(_("Out of scope (kept in-house):"))
    lines += [f"- {name}" for name in facts.kept_in_house] or [_("- none named")]
    lines.append(
        _(
            "Responsibilities: the organisation decides policy and exceptions and approves the "
            "results; the vendor runs the work, its staff and its quality. Where the line falls "
            "for each task is to be agreed in the proposal."
        )
    )
    return "\n".join(lines)


_KPIS = {
    "bpo": (
        gettext_lazy("Volume processed each month against the forecast"),
        # xgettext:no-python-format
        gettext_lazy("Deadlines met: 99% or more"),
        # xgettext:no-python-format
        gettext_lazy("Error rate: 0.1% or less, with each error's cause reported"),
        gettext_lazy("Answer to an enquiry within one business day"),
    ),
    "ito": (
        # xgettext:no-python-format
        gettext_lazy("Service availability: 99.5% or more a month"),
        gettext_lazy("First response to an incident within 30 minutes in business hours"),
        # xgettext:no-python-format
        gettext_lazy("Requests resolved within the agreed time: 95% or more"),
    ),
    "kpo": (
        gettext_lazy("Deliverables on the agreed dates"),
        gettext_lazy("Rework after review: one round or fewer per deliverable"),
        gettext_lazy("Sources and methods documented with each deliverable"),
    ),
    "dispatch": (
        gettext_lazy("Skills and experience of the staff proposed"),
        gettext_lazy("Replacement within ten business days when a staff member leaves"),
    ),
    "crowdsourcing": (
        # xgettext:no-python-format
        gettext_lazy("Acceptance rate of the deliverables: 95% or more"),
        gettext_lazy("Delivery by the date set in each request"),
    ),
    "subcontract": (
        gettext_lazy("Deliverables meet the acceptance criteria on the first review"),
        gettext_lazy("Delivery by the agreed date"),
    ),
}


def _kpi_sla(facts: PackageFacts) -> str:
    proposals = [str(kpi) for kpi in _KPIS.get(facts.model, ())]
    lines = [_("Proposed targets, to be confirmed in the proposal:")]
    lines += [f"- {kpi}" for kpi in (*facts.kpis, *proposals)]
    lines.append(
        _(
            "Results are reviewed monthly against these targets; the proposal should say how they "
            "are measured and what happens when one is missed."
        )
    )
    return "\n".join(lines)


def _communication() -> str:
    return "\n".join(
        [
            _("- One named contact on each side, with a deputy."),
            _("- A monthly report on the KPIs, issues and improvements proposed."),
            _("- A monthly review meeting; a quarterly meeting with management."),
            _("- An escalation path for incidents and complaints, with response times."),
        ]
    )


def _transition(facts: PackageFacts) -> str:
    months = PARALLEL_MONTHS.get(facts.model, 1)
    lines = [
        _(
            "- Handover: written procedures, walk-throughs with the people doing the work today, "
            "and the rules for exceptions."
        ),
    ]
    if months:
        lines.append(
            ngettext(
                "- A parallel run of %(months)s month, in-house and vendor side by side, before "
                "the vendor takes over alone.",
                "- A parallel run of %(months)s months, in-house and vendor side by side, before "
                "the vendor takes over alone.",
                months,
            )
            % {"months": months}
        )
    lines += [
        _("- The people affected are told what changes, whom to ask and what the vendor covers."),
        _(
            "- At the end of the contract, the vendor hands the work and its records back or over "
            "to a successor."
        ),
    ]
    return "\n".join(lines)


# My Number (番号法) is in scope where a package with personal data holds payroll or social-
# insurance work: a task marked as 社会保険労務士 work, or one whose department, process or task
# names payroll, bonuses, year-end adjustment, withholding, social or labour insurance, the
# statutory statements or My Number itself. The category alone says too little (HR also holds
# recruiting and training), so the words decide.
MY_NUMBER_WORDS = (
    "給与",
    "給料",
    "賞与",
    "年末調整",
    "源泉",
    "社会保険",
    "社保",
    "雇用保険",
    "健康保険",
    "厚生年金",
    "労働保険",
    "算定基礎",
    "月額変更",
    "法定調書",
    "支払調書",
    "マイナンバー",
    "個人番号",
    "payroll",
    "salary",
    "salaries",
    "bonus",
    "year-end adjustment",
    "withholding",
    "social insurance",
    "employment insurance",
    "health insurance",
    "pension",
    "labour insurance",
    "labor insurance",
    "my number",
)


def handles_my_number(facts: PackageFacts) -> bool:
    """Whether the package's work brings My Numbers (特定個人情報) to the vendor: personal data,
    and payroll or social-insurance work (MY_NUMBER_WORDS, or 社労士 work)."""
    if "personal" not in facts.confidentiality:
        return False
    for task in facts.tasks:
        words = f"{task.department} {task.process} {task.task}".casefold()
        if task.licensed_work == "sharoushi" or any(w in words for w in MY_NUMBER_WORDS):
            return True
    return False


def _personal_data_duties(facts: PackageFacts) -> list[str]:
    """The 個人情報保護法 duties that follow from handing personal data to the vendor (2022
    numbering), and the 番号法 ones where My Numbers are in scope."""
    lines = [
        _(
            "- Personal data handled as the Act on the Protection of Personal Information "
            "(個人情報保護法) requires, under a data-handling agreement that states the following."
        ),
        _(
            "- Supervision of the vendor (委託先の監督, 第25条): the contract sets the safety "
            "measures the vendor takes for the data; the organisation checks them through "
            "reports and audits, and any re-subcontractor is bound by the same measures."
        ),
        _(
            "- Breach reporting (漏えい等の報告, 第26条): the vendor reports a leak, loss or "
            "damage of personal data, or a suspicion of one, to the organisation at once, on the "
            "day it learns of it, so that the organisation can report to the Personal "
            "Information Protection Commission (個人情報保護委員会: a first report promptly, the "
            "full report within 30 days, 60 for a deliberate attack) and notify the persons "
            "concerned."
        ),
        _(
            "- Transfer abroad (第28条): a proposal that would handle or store any of the data "
            "outside Japan, through the vendor, a subcontractor or a cloud service, names the "
            "country and the service. It needs the persons' consent, or a vendor system meeting "
            "the equivalent-measures standard, and the organisation's approval."
        ),
    ]
    if handles_my_number(facts):
        lines.append(
            _(
                "- My Numbers (特定個人情報, 番号法): the work includes payroll or "
                "social-insurance procedures. The vendor uses My Numbers only for the "
                "procedures entrusted to it, under the safety measures of the guidelines for "
                "specific personal information; it may re-entrust them only with the "
                "organisation's prior permission (番号法第10条), and the organisation supervises "
                "it (番号法第11条)."
            )
        )
    return lines


def _security(facts: PackageFacts) -> str:
    levels = facts.confidentiality
    lines = [
        _("- A confidentiality agreement; access limited to the people named, by account."),
        _("- Access and operation logs kept and available for audit."),
        _("- No re-subcontracting without the organisation's written consent."),
        _("- Incidents reported within 24 hours, with the cause and the measures taken."),
    ]
    if levels & {"confidential", "personal"}:
        lines.insert(
            0,
            _(
                "- The package holds confidential or personal data: an ISMS (ISO/IEC 27001) "
                "certification or the Privacy Mark, valid for the whole contract, is required."
            ),
        )
        lines.append(
            _(
                "- Data kept in Japan, never taken out on personal devices or media, and deleted "
                "or returned at the end of the contract with a certificate."
            )
        )
    if "personal" in levels:
        lines += _personal_data_duties(facts)
    return "\n".join(lines)
