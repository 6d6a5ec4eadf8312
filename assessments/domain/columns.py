"""The columns of the inventory file (SPEC 6.1): one table that drives the importer, the blank
template, the export and the results CSV, so a column is added in exactly one place."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.domain import choices

Kind = Literal["text", "enum", "decimal", "int"]


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise  # English msgid; the Japanese header is its translation
    kind: Kind = "text"
    required: bool = False
    choices: type[models.TextChoices] | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int = 200
    help_text: Promise | str = ""


def _d(value: str) -> Decimal:
    return Decimal(value)


INVENTORY_COLUMNS: tuple[Column, ...] = (
    Column(
        "department",
        _("Department"),
        required=True,
        max_length=100,
        help_text=_("The department that does the work today."),
    ),
    Column(
        "process",
        _("Process"),
        required=True,
        help_text=_("The larger process the task belongs to, e.g. payroll."),
    ),
    Column(
        "task",
        _("Task"),
        required=True,
        help_text=_(
            "One unit of work per row: “collect timesheets”, not “payroll”. "
            "Split a process into the steps one person does in one go."
        ),
    ),
    # Optional in a file: inferred from the department, process and task words when absent
    # (SPEC 4.2.1). Every stored task has one.
    Column(
        "category",
        _("Category"),
        "enum",
        choices=choices.Category,
        help_text=_("Leave blank in a file to have it inferred from the names; you confirm it."),
    ),
    Column("description", _("Description"), max_length=2000),
    Column(
        "frequency",
        _("Frequency"),
        "enum",
        choices=choices.Frequency,
        help_text=_("How often the task happens."),
    ),
    Column(
        "occurrences",
        _("Occurrences"),
        "decimal",
        minimum=_d("0"),
        maximum=_d("10000000"),  # what the database holds, not a judgment of the figure
        help_text=_("Times per frequency period (default 1); for ad hoc work, times per year."),
    ),
    Column(
        "minutes",
        _("Minutes per occurrence"),
        "decimal",
        minimum=_d("0"),
        # No bound on the work itself (a year-end closing takes 4,800 minutes, SPEC 4.2): this is
        # what the database holds. Implausible figures are warnings, never refusals.
        maximum=_d("10000000"),
        help_text=_(
            "Time one person spends on one occurrence, measured or estimated with the staff."
        ),
    ),
    Column(
        "people",
        _("People"),
        "decimal",
        minimum=_d("0.01"),
        maximum=_d("100000"),
        help_text=_("People involved each time; 0.5 for a person shared with other work."),
    ),
    Column(
        "days_per_year",
        _("Working days per year"),
        "int",
        minimum=_d("1"),
        maximum=_d("366"),
        help_text=_(
            "For daily work only: the days a year it runs, e.g. 365 for work done every day. "
            "Blank: the organisation's working days."
        ),
    ),
    Column(
        "annual_hours",
        _("Annual hours"),
        "decimal",
        minimum=_d("0"),
        maximum=_d("100000000"),
        help_text=_(
            "Only if you estimated the hours directly instead of frequency × minutes × people. "
            "When both are given they must agree."
        ),
    ),
    # The range the sheet gives (通常期/繁忙期/閑散期, min–max): optional, in the units of the usual
    # figures. Hours stay those of the usual figures; the range is the saving's (SPEC 4.5).
    Column(
        "occurrences_low",
        _("Occurrences (lowest)"),
        "decimal",
        minimum=_d("0"),
        maximum=_d("10000000"),
        help_text=_(
            "Optional: the fewest times per period, e.g. in the quiet season (閑散期). With the "
            "highest, it gives the saving its range; the hours use the usual figure."
        ),
    ),
    Column(
        "occurrences_high",
        _("Occurrences (highest)"),
        "decimal",
        minimum=_d("0"),
        maximum=_d("10000000"),
        help_text=_("Optional: the most times per period, e.g. in the busy season (繁忙期)."),
    ),
    Column(
        "minutes_low",
        _("Minutes (lowest)"),
        "decimal",
        minimum=_d("0"),
        maximum=_d("10000000"),
        help_text=_("Optional: the shortest time one occurrence takes, in minutes."),
    ),
    Column(
        "minutes_high",
        _("Minutes (highest)"),
        "decimal",
        minimum=_d("0"),
        maximum=_d("10000000"),
        help_text=_("Optional: the longest time one occurrence takes, in minutes."),
    ),
    Column(
        "hourly_cost",
        _("Hourly cost (yen)"),
        "int",
        minimum=_d("0"),
        maximum=_d("1000000"),
        help_text=_("Leave blank to use the organisation's hourly cost."),
    ),
    Column(
        "expertise",
        _("Expertise"),
        "int",
        minimum=_d("1"),
        maximum=_d("5"),
        help_text=_(
            "1 = anyone after a short briefing … 5 = a qualification or years of expertise."
        ),
    ),
    Column(
        "standardizable",
        _("Standardisable"),
        "enum",
        choices=choices.Standardizable,
        help_text=_("Could the steps be written down as a manual anyone can follow?"),
    ),
    Column("manual", _("Manual"), "enum", choices=choices.Presence),
    Column(
        "people_able",
        _("Staff able to do it"),
        "int",
        minimum=_d("0"),
        maximum=_d("10000"),
        help_text=_(
            "How many staff could do it today. 1 means only one person: a succession risk."
        ),
    ),
    Column(
        "seasonality",
        _("Seasonality"),
        "enum",
        choices=choices.Size,
        help_text=_("The gap between busy and quiet periods."),
    ),
    Column(
        "confidentiality",
        _("Confidentiality"),
        "enum",
        choices=choices.Confidentiality,
        help_text=_(
            "Confidential or personal data rules out crowdsourcing and calls for certified vendors."
        ),
    ),
    Column(
        "continuity",
        _("Continuity"),
        "enum",
        choices=choices.Continuity,
        help_text=_("Ongoing operation, or a one-off job?"),
    ),
    Column(
        "deliverable_clear",
        _("Clear deliverable"),
        "enum",
        choices=choices.Presence,
        help_text=_("Is there a clearly defined deliverable (a brochure, a report, a page)?"),
    ),
    Column(
        "direct_instruction",
        _("Direct instruction"),
        "enum",
        choices=choices.Need,
        help_text=_(
            "Must your staff direct the worker day to day? Under an outsourcing contract that is "
            "disguised contracting (偽装請負); it calls for temporary staff instead."
        ),
    ),
    Column(
        "judgment",
        _("Case-by-case judgment"),
        "enum",
        choices=choices.Amount,
        help_text=_("How often the work needs case-by-case judgment."),
    ),
    Column(
        "requirement_changes",
        _("Requirement changes"),
        "enum",
        choices=choices.Amount,
        help_text=_("How often what is asked for changes."),
    ),
    Column(
        "tacit_knowledge",
        _("Tacit knowledge"),
        "enum",
        choices=choices.Amount,
        help_text=_("How much depends on unwritten, company-specific know-how."),
    ),
    Column(
        "licensed_work",
        _("Licensed work"),
        "enum",
        choices=choices.LicensedWork,
        help_text=_(
            "Work that needs a 士業 qualification to be done for others for a fee (独占業務): "
            "社労士 (social-insurance filings), 税理士 (tax), 弁護士 (legal advice), 司法書士 "
            "(registrations), 行政書士 (documents for the authorities). Blank: none."
        ),
    ),
    Column(
        "on_site",
        _("On the client's premises"),
        "enum",
        choices=choices.Presence,
        help_text=_(
            "Is the work done at your premises (常駐)? Outsourced on-site work is where "
            "disguised contracting (偽装請負) usually starts."
        ),
    ),
    Column(
        "interviewee",
        _("Interviewee"),
        max_length=100,
        help_text=_("Who you asked. Interview the staff who do the work, not only managers."),
    ),
    Column("notes", _("Notes"), max_length=2000),
)

# Optional answers to the ten-item check (SPEC 6.1 "c1 … c10"); stored as the task's answers.
ANSWER_COLUMNS: tuple[Column, ...] = tuple(
    Column(f"c{number}", f"C{number}", "enum", choices=choices.CheckAnswer)  # type: ignore[arg-type]
    for number in range(1, 11)
)
FILE_COLUMNS: tuple[Column, ...] = INVENTORY_COLUMNS + ANSWER_COLUMNS
# Each range column with the usual figure it is the lowest or highest of.
RANGE_OF: dict[str, str] = {
    "occurrences_low": "occurrences",
    "occurrences_high": "occurrences",
    "minutes_low": "minutes",
    "minutes_high": "minutes",
}
DURATION_KEYS = frozenset({"minutes", "minutes_low", "minutes_high"})
COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in FILE_COLUMNS}

# The guided form's labels where the file's column header is too terse to ask a manager with (the
# header stays as it is: files and the import template use it); the same keys.
TASK_LABELS = {
    "occurrences": pgettext_lazy("task form", "Times per period"),
    "expertise": pgettext_lazy("task form", "Skill the work needs"),
    "standardizable": pgettext_lazy("task form", "Can the steps be standardised?"),
    "manual": pgettext_lazy("task form", "Written manual"),
    "people_able": pgettext_lazy("task form", "Staff able to do it today"),
    "seasonality": pgettext_lazy("task form", "Gap between busy and quiet periods"),
    "confidentiality": pgettext_lazy("task form", "Most sensitive data handled"),
    "continuity": pgettext_lazy("task form", "Ongoing or one-off"),
    "deliverable_clear": pgettext_lazy("task form", "Is the deliverable clearly defined?"),
    "direct_instruction": pgettext_lazy("task form", "Day-to-day instructions from your staff"),
    "judgment": pgettext_lazy("task form", "Case-by-case judgment"),
    "requirement_changes": pgettext_lazy("task form", "Changes to what is asked"),
    "tacit_knowledge": pgettext_lazy("task form", "Reliance on unwritten know-how"),
    "licensed_work": pgettext_lazy("task form", "Licensed work (士業の独占業務)"),
    "on_site": pgettext_lazy("task form", "Done on your premises (常駐)"),
}


# The form asks these as questions (成果物が明確か): a rule's sentence names them by the header.
QUESTIONS = frozenset({"standardizable", "continuity", "deliverable_clear"})


def label(key: str) -> str:
    """What the inventory's pages call an item: the form's label, else the column's header."""
    if key in TASK_LABELS and key not in QUESTIONS:
        return str(TASK_LABELS[key])
    column = COLUMNS_BY_KEY.get(key)
    return str(column.label) if column else key


# Read from a file but not stored as such: monthly hours become stated annual hours (× 12).
MONTHLY_HOURS = Column(
    "monthly_hours", _("Monthly hours"), "decimal", minimum=_d("0"), maximum=_d("10000000")
)

# Written by the export and ignored by the importer, so an exported sheet re-imports as it is.
# The task's annual hours are not among them: the export writes them in the input column
# "annual_hours", where a re-import finds them agreeing with the parts (SPEC 4.2).
DERIVED_COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("annual_occurrences", _("Annual occurrences")),
    ("fte", _("FTE")),
    ("annual_cost", _("Annual cost (yen)")),
    ("single_person_dependency", _("Single-person dependency")),
)

# What our exports neutralise with a leading apostrophe (text that would start a formula: OWASP
# "CSV injection"); the importers take the apostrophe off again, so a round trip is exact. Excel
# and LibreOffice also start formulas with the full-width signs a Japanese IME types, and DDE
# with | or ; ; an invisible character in front does not stop them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "|", ";")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def starts_a_formula(text: str) -> bool:
    """Text a spreadsheet could run: what the exports neutralise."""
    return text.lstrip(_INVISIBLE).startswith(FORMULA_PREFIXES)


def unneutralised(text: str) -> str:
    """A cell our export wrote, as the user typed it: the neutralising apostrophe taken off."""
    return text[1:] if text[:1] == "'" and starts_a_formula(text[1:]) else text
