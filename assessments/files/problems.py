"""What a reading step reports: a problem names the row and column as the spreadsheet shows them,
and the whole file is refused with every problem found (all or nothing, SPEC 4.2.1)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

MAX_PROBLEMS = 500  # enough to fix a file; more would only bury the first ones


@dataclass(frozen=True)
class Problem:
    row: int | None  # as the spreadsheet shows it
    column: str | None  # "F (所要時間(分))"
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % self._parts()
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % self._parts()
        if self.column:
            return _("Column %(column)s: %(message)s") % self._parts()
        return self.message

    def _parts(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems


def reject(message: str) -> ImportRejected:
    return ImportRejected([Problem(None, None, message)])


def megabytes(size: int, *, round_up: bool = True) -> str:
    """A file's size rounds up and a limit down, so a file just over the limit never reads as
    equal to it."""
    tenths = size * 10 / (1024 * 1024)
    return f"{(math.ceil(tenths) if round_up else math.floor(tenths)) / 10:.1f}"


def column_name(index: int, header: str = "") -> str:
    """'F (所要時間(分))': the spreadsheet's column letter and the header as the file has it."""
    letters = column_letters(index)
    return f"{letters} ({header})" if header else letters


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters, number = "", index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def plain(number: Decimal) -> str:
    """A number in a message: plain digits, or 1e+400 when that would be long. normalize()
    overflows past the context's exponent (1e999999999) and "f" would spell out every digit."""
    if number.is_zero():
        return "0"
    if abs(number.adjusted()) > 20:
        return format(number, ".6g")
    return format(number.normalize(), "f")


def shorten(text: str, limit: int = 40) -> str:
    """A cell quoted in a message: whole when short, else cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
