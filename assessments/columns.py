"""The columns of the inventory file (SPEC 6.1): one table that drives the importer, the blank
template, the export and the results CSV, so a column is added in exactly one place."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments import choices

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
    Column("department", _("Department"), required=True, max_length=100),
    Column("process", _("Process"), required=True),
    Column("task", _("Task"), required=True),
    Column("category", _("Category"), "enum", required=True, choices=choices.Category),
    Column("description", _("Description"), max_length=2000),
    Column("frequency", _("Frequency"), "enum", choices=choices.Frequency),
    Column(
        "occurrences",
        _("Occurrences"),
        "decimal",
        minimum=_d("0"),
        maximum=_d("100000"),
        help_text=_("Times per frequency period (default 1); for ad hoc work, times per year."),
    ),
    Column("minutes", _("Minutes per occurrence"), "decimal", minimum=_d("0"), maximum=_d("1440")),
    Column("people", _("People"), "int", minimum=_d("1"), maximum=_d("10000")),
    Column("hourly_cost", _("Hourly cost (yen)"), "int", minimum=_d("0"), maximum=_d("1000000")),
    Column("expertise", _("Expertise"), "int", minimum=_d("1"), maximum=_d("5")),
    Column("standardizable", _("Standardisable"), "enum", choices=choices.Standardizable),
    Column("manual", _("Manual"), "enum", choices=choices.Presence),
    Column("people_able", _("Staff able to do it"), "int", minimum=_d("0"), maximum=_d("10000")),
    Column("seasonality", _("Seasonality"), "enum", choices=choices.Size),
    Column("confidentiality", _("Confidentiality"), "enum", choices=choices.Confidentiality),
    Column("continuity", _("Continuity"), "enum", choices=choices.Continuity),
    Column("deliverable_clear", _("Clear deliverable"), "enum", choices=choices.Presence),
    Column("direct_instruction", _("Direct instruction"), "enum", choices=choices.Need),
    Column("judgment", _("Case-by-case judgment"), "enum", choices=choices.Amount),
    Column("requirement_changes", _("Requirement changes"), "enum", choices=choices.Amount),
    Column("tacit_knowledge", _("Tacit knowledge"), "enum", choices=choices.Amount),
    Column("interviewee", _("Interviewee"), max_length=100),
    Column("notes", _("Notes"), max_length=2000),
)

COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in INVENTORY_COLUMNS}

# Written by the export and ignored by the importer, so an exported sheet re-imports as it is.
DERIVED_COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("annual_occurrences", _("Annual occurrences")),
    ("annual_hours", _("Annual hours")),
    ("fte", _("FTE")),
    ("annual_cost", _("Annual cost (yen)")),
    ("single_person_dependency", _("Single-person dependency")),
)
