"""The first draft of a staffing request (派遣依頼書) for a staffing package (SPEC 4.4 "Dispatch is
not outsourcing", 4.5). Pure: the caller gathers `StaffingFacts` and activates the language the
draft is written in; the consultant edits the text before sending it.

Dispatch moves people in (リソースイン); outsourcing moves work out (タスクアウト). A dispatching
company employs the staff, and the organisation directs them day to day, so a staffing package asks
for people, not for a proposal to take over the work: what the staff will do, where, under whom,
for how long (the three-year limit and its 抵触日), how many, with which skills, on which days and
hours, and at what hourly rate. It says nothing of a vendor running the work, which would describe
a service contract (and direction by the client under a service contract is 偽装請負), and it
states that the organisation does not select individuals (特定目的行為, 派遣法26条6項).

How many people, and for how long, comes from the inventory's hours, never more (`staff_asked`):
a full-time person fills the organisation's yearly hours; a share of a post of at least
FULL_TIME_FROM (0.8) counts as one more full-time person, a smaller share as one person for those
hours only, part time (about so many hours a week over the organisation's working weeks). When
tasks the inventory rates as highly seasonal hold more than half of the hours, that person is
asked for in the busy periods instead, with the months left for the organisation to fill in (the
inventory rates seasonality, it does not say which months). A package of 280 hours a year is
never asked for as a full-time post. The skills are said in words, without the inventory's
internal 1–5 score."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from outsourcing_advisor.common.wording import listing

SECTIONS: tuple[tuple[str, object], ...] = (
    ("work", gettext_lazy("Work to be done")),
    ("workplace", gettext_lazy("Place of work")),
    ("supervisor", gettext_lazy("Who directs the staff")),
    ("period", gettext_lazy("Dispatch period and the three-year limit")),
    ("headcount", gettext_lazy("Number of staff")),
    ("skills", gettext_lazy("Skills required")),
    ("hours", gettext_lazy("Working days and hours")),
    ("rate", gettext_lazy("Hourly rate asked for")),
    ("selection", gettext_lazy("No selection of individuals")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)
# Expertise as the inventory rates it (1–5), in the words a dispatching company matches staff on.
EXPERTISE_WORDS = {
    1: gettext_lazy("no prior experience needed; the organisation explains the work"),
    2: gettext_lazy("general office experience"),
    3: gettext_lazy("practical experience in this kind of work"),
    4: gettext_lazy("several years of experience in this field"),
    5: gettext_lazy("specialist knowledge of this field"),
}


@dataclass(frozen=True)
class StaffingTask:
    department: str
    process: str
    task: str
    annual_hours: Decimal | None
    category: str = ""  # the category's label, in the reader's language
    expertise: int | None = None  # 1–5
    one_off: bool = False  # a one-off task (continuity), not ongoing work
    seasonal: bool = False  # the inventory rates its seasonality high (busy and quiet periods)


@dataclass(frozen=True)
class StaffingFacts:
    organisation: str
    package: str  # its name
    tasks: Sequence[StaffingTask]
    annual_hours: Decimal
    fte: Decimal
    working_days: int  # the organisation's working days a year
    yearly_hours: int  # a full-time person's hours a year
    sensitive: bool = False  # its tasks handle confidential or personal data


def _figure(value: Decimal, places: str) -> str:
    return f"{value.quantize(Decimal(places), rounding=ROUND_HALF_UP):,}"


# A share of a full-time post from which one more full-time person is asked for.
FULL_TIME_FROM = Decimal("0.8")


@dataclass(frozen=True)
class Staff:
    """The people a staffing request asks for: `full_time` people, and one more for
    `part_hours` hours a year (0: none), in the busy periods when `seasonal`."""

    full_time: int
    part_hours: Decimal
    weekly_hours: Decimal  # the part-time person's hours a week, on average
    seasonal: bool


def seasonal(facts: StaffingFacts) -> bool:
    """Tasks the inventory rates as highly seasonal hold more than half of the hours."""
    busy = sum((t.annual_hours or Decimal(0) for t in facts.tasks if t.seasonal), Decimal(0))
    return busy * 2 > facts.annual_hours > 0


def staff_asked(facts: StaffingFacts) -> Staff:
    """Whole full-time posts from the FTE (a remainder of FULL_TIME_FROM or more is one more),
    and one person for the hours left over. Work with no hours counted asks for one person full
    time, as before the hours are known."""
    weeks = Decimal(facts.working_days or 240) / 5  # five working days a week
    fte = max(facts.fte, Decimal(0))
    full = math.floor(fte)
    if fte - full >= FULL_TIME_FROM or facts.annual_hours <= 0:
        return Staff(max(full + (fte - full >= FULL_TIME_FROM), 1), Decimal(0), Decimal(0), False)
    part = max(facts.annual_hours - full * facts.yearly_hours, Decimal(0))
    if not part:
        return Staff(full, Decimal(0), Decimal(0), False)
    return Staff(full, part, part / weeks, seasonal(facts))


def daily_hours(facts: StaffingFacts) -> Decimal:
    """A full-time day's hours at the organisation: its yearly hours over its working days."""
    if not facts.working_days:
        return Decimal(8)
    return Decimal(facts.yearly_hours) / Decimal(facts.working_days)


def draft(facts: StaffingFacts) -> dict[str, str]:
    """Every section's text, in the active language, keyed as SECTION_KEYS."""
    return {
        "work": _work(facts),
        "workplace": _workplace(facts),
        "supervisor": _supervisor(facts),
        "period": _period(facts),
        "headcount": _headcount(facts),
        "skills": _skills(facts),
        "hours": _hours(facts),
        "rate": _rate(facts),
        "selection": _selection(),
    }


def _departments(facts: StaffingFacts) -> str:
    return listing(list(dict.fromkeys(t.department for t in facts.tasks))) or "—"


def _work(facts: StaffingFacts) -> str:
    lines = [
        _(
            "%(organisation)s asks for dispatched staff (worker dispatch under the Worker "
            "Dispatch Act) for the work below. The staff work under the direction of the "
            "organisation's own supervisor; the dispatching company employs them and remains "
            "their employer."
        )
        % {"organisation": facts.organisation},
        _("The work:"),
    ]
    for task in facts.tasks:
        hours = "—" if task.annual_hours is None else _figure(task.annual_hours, "0.1")
        lines.append(
            _("- %(department)s / %(process)s / %(task)s (%(hours)s h a year)")
            % {
                "department": task.department,
                "process": task.process,
                "task": task.task,
                "hours": hours,
            }
        )
    if facts.sensitive:
        lines.append(
            _(
                "The work handles confidential or personal information: the staff follow the "
                "organisation's information-security rules, and the dispatching company binds "
                "them to confidentiality (派遣法24条の4)."
            )
        )
    return "\n".join(lines)


def _workplace(facts: StaffingFacts) -> str:
    return "\n".join(
        [
            _("%(organisation)s, %(departments)s.")
            % {"organisation": facts.organisation, "departments": _departments(facts)},
            _(
                "Address, floor and the organisational unit (組織単位) the staff join: to be "
                "filled in by the organisation before the request is sent."
            ),
        ]
    )


def _supervisor(facts: StaffingFacts) -> str:
    return "\n".join(
        [
            _(
                "The supervisor who gives the staff their day-to-day instructions (指揮命令者) "
                "is named by the organisation in %(departments)s before the contract: name, "
                "position and contact."
            )
            % {"departments": _departments(facts)},
            _(
                "The organisation also names its person responsible for the dispatch "
                "(派遣先責任者, 派遣法41条), who handles complaints and liaises with the "
                "dispatching company's own responsible person."
            ),
        ]
    )


def _period(facts: StaffingFacts) -> str:
    lines = [
        _("Start and end dates: to be agreed; the contract may be renewed."),
        _(
            "The three-year limit: the same workplace may receive dispatched staff for three "
            "years at most, unless the organisation hears its majority union or employee "
            "representative one month before the limit at the latest and extends it "
            "(派遣法40条の2); the same person may work in the same organisational unit for three "
            "years at most (派遣法40条の3)."
        ),
        _(
            "The day after the workplace's limit is its 抵触日 (conflict date): no dispatched "
            "staff may be received from that day. The organisation states the workplace's "
            "抵触日 to the dispatching company when the contract is made (派遣法26条4項). The "
            "limits do not apply to staff the dispatching company employs without a fixed "
            "term, nor to staff aged 60 or over."
        ),
    ]
    if any(task.one_off for task in facts.tasks):
        lines.append(
            _(
                "Part of the work is one-off: staff employed by the dispatching company for 30 "
                "days or less may not be dispatched (日雇派遣, 派遣法35条の4) except in the cases "
                "the Act allows."
            )
        )
    return "\n".join(lines)


def _weekly(staff: Staff) -> str:
    """The part-time person's hours a week, whole, one at least."""
    return _figure(max(staff.weekly_hours, Decimal(1)), "1")


def _headcount(facts: StaffingFacts) -> str:
    staff = staff_asked(facts)
    figures = {
        "count": staff.full_time,
        "hours": _figure(staff.part_hours, "1"),
        "weekly": _weekly(staff),
    }
    if not staff.part_hours:
        asked = ngettext(
            "Asked for: %(count)s person full time.",
            "Asked for: %(count)s people full time.",
            staff.full_time,
        )
    elif not staff.full_time and staff.seasonal:
        asked = _("Asked for: 1 person in the busy periods (about %(hours)s hours a year).")
    elif not staff.full_time:
        asked = _(
            "Asked for: 1 person part time (about %(hours)s hours a year, about %(weekly)s hours "
            "a week)."
        )
    elif staff.seasonal:
        asked = ngettext(
            "Asked for: %(count)s person full time, and 1 more in the busy periods (about "
            "%(hours)s hours a year).",
            "Asked for: %(count)s people full time, and 1 more in the busy periods (about "
            "%(hours)s hours a year).",
            staff.full_time,
        )
    else:
        asked = ngettext(
            "Asked for: %(count)s person full time, and 1 more part time (about %(hours)s hours "
            "a year, about %(weekly)s hours a week).",
            "Asked for: %(count)s people full time, and 1 more part time (about %(hours)s hours "
            "a year, about %(weekly)s hours a week).",
            staff.full_time,
        )
    lines = [
        _(
            "The work takes %(hours)s hours a year (%(fte)s full-time equivalents) by the "
            "work inventory."
        )
        % {"hours": _figure(facts.annual_hours, "0.1"), "fte": _figure(facts.fte, "0.01")},
        asked % figures,
    ]
    if staff.part_hours and staff.seasonal:
        lines.append(
            _(
                "The inventory rates the work as seasonal: the busy months are to be filled in "
                "by the organisation before the request is sent."
            )
        )
    return "\n".join(lines)


def _skills(facts: StaffingFacts) -> str:
    categories = list(dict.fromkeys(t.category for t in facts.tasks if t.category))
    levels = [t.expertise for t in facts.tasks if t.expertise]
    lines = []
    if categories:
        lines.append(_("- Field: %(fields)s.") % {"fields": listing(categories)})
    if levels:
        level = max(levels)
        lines.append(_("- Level: %(words)s.") % {"words": EXPERTISE_WORDS.get(level, "")})
    lines.append(
        _(
            "- The organisation states the skills and experience the work needs, never the "
            "person: the dispatching company chooses whom to send."
        )
    )
    return "\n".join(lines)


def _hours(facts: StaffingFacts) -> str:
    staff = staff_asked(facts)
    lines = [
        _(
            "The organisation's calendar: %(days)s working days a year, %(daily)s hours a "
            "day. Start and end times and breaks: to be filled in by the organisation."
        )
        % {"days": facts.working_days, "daily": f"{daily_hours(facts).normalize():f}"},
    ]
    # With full-time staff, the headcount already gives the further person's hours.
    if not staff.full_time and staff.seasonal:
        lines.append(
            _(
                "The work does not fill a full-time post: one person works in the busy periods "
                "only, on days and hours to be agreed."
            )
        )
    elif not staff.full_time:
        lines.append(
            _(
                "The work does not fill a full-time post: one person works about %(weekly)s "
                "hours a week on average, on days and hours to be agreed."
            )
            % {"weekly": _weekly(staff)}
        )
    lines.append(
        _(
            "Overtime and work on days off only within the dispatching company's labour "
            "agreement (36協定), and as the contract states."
        )
    )
    return "\n".join(lines)


def _rate(facts: StaffingFacts) -> str:
    return "\n".join(
        [
            _(
                "Quote an hourly rate per person in yen, without tax, for %(hours)s hours a "
                "year, and the rates for overtime and work on days off."
            )
            % {"hours": _figure(facts.annual_hours, "0.1")},
            _(
                "State your licence number for worker dispatch (労働者派遣事業 許可番号) and "
                "whether the staff's pay follows a labour-management agreement (労使協定方式) or "
                "equal treatment with the organisation's staff (派遣先均等・均衡方式); before "
                "the contract the organisation gives the information on its own staff's "
                "treatment that the Act requires (派遣法26条7項)."
            ),
        ]
    )


def _selection() -> str:
    return "\n".join(
        [
            _(
                "The organisation does not select individual staff: it does not ask for named "
                "people, interview candidates, ask for CVs or set conditions of age or sex "
                "(特定目的行為, 派遣法26条6項); the dispatching company chooses the staff to send."
            ),
            _(
                "A candidate may visit the workplace before starting of their own accord; the "
                "visit is not a selection."
            ),
        ]
    )
