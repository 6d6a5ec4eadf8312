"""Lists and numbers worded in the reader's language, and the languages there are: the one place
that knows Japanese joins names with 「、」 and runs sentences on without a space, where English
writes “, ” and a space. Everything that joins words for a reader uses `listing` (templates: the
`listing` filter and the `list_separator` tag of the `wording` tags).

The languages are settings.LANGUAGES, Japanese (settings.LANGUAGE_CODE) first; nothing else lists
their codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import get_language


def language_codes() -> tuple[str, ...]:
    """The codes of the languages of the product, as settings.LANGUAGES lists them."""
    return tuple(code for code, _name in settings.LANGUAGES)


def reader_language() -> str:
    """The language active now (the reader's), or the default one when none is."""
    return get_language() or settings.LANGUAGE_CODE


def japanese(language: str | None = None) -> bool:
    """Whether `language` (by default the reader's) is Japanese."""
    return (reader_language() if language is None else language).startswith("ja")


def list_separator(language: str | None = None) -> str:
    """What stands between two names of a list: 「、」 in Japanese, “, ” in English."""
    return "、" if japanese(language) else ", "


def listing(words: Iterable[str], language: str | None = None) -> str:
    """Names joined as the reader's language joins them: 「A、B」 / “A, B”."""
    return list_separator(language).join(words)


def sentences(parts: Iterable[str], language: str | None = None) -> str:
    """Sentences one after the other: Japanese runs them on, English puts a space between."""
    return ("" if japanese(language) else " ").join(parts)


def plain_number(value: Decimal) -> str:
    """A stored decimal as people write it: 95.00 -> 95, 7.50 -> 7.5 (no grouping; −0 is 0)."""
    return format(value.normalize() + 0, "f")  # + 0: -0 shows as 0


def rounded_to_total(values: Sequence[Decimal], total: Decimal, places: int = 1) -> list[Decimal]:
    """`values` rounded to `places` decimals so that they add up to `total` (itself already
    rounded to `places`): largest-remainder rounding. Each value is rounded down, then the
    units still missing go to the values with the largest remainders (the first ones on a tie),
    so every part shown stays within one unit of its exact value and the parts add up to the
    total shown beside them (the points of an answer to the suitability, shares to 100%)."""
    if not values:
        return []
    unit = Decimal(1).scaleb(-places)
    floors = [(value / unit).to_integral_value(rounding=ROUND_FLOOR) for value in values]
    missing = int((total / unit).to_integral_value(rounding=ROUND_HALF_UP) - sum(floors))
    # Beyond the units there are parts (a total not near the sum): nothing better to do than
    # round each part on its own; the caller's total is then not theirs to reach.
    if not 0 <= missing <= len(values):
        return [value.quantize(unit, rounding=ROUND_HALF_UP) + 0 for value in values]
    remainders = sorted(
        range(len(values)), key=lambda index: (floors[index] - values[index] / unit, index)
    )
    for index in remainders[:missing]:
        floors[index] += 1
    return [(floor * unit).quantize(unit) + 0 for floor in floors]


def percentages(parts: Sequence[Decimal | float], places: int = 1) -> list[Decimal]:
    """Each part's share of their sum in percent, to `places` decimals, adding up to exactly
    100 (largest remainder: 48.4 + 38.2 + 13.4, never 48 + 38 + 13 = 99%). All zero when the
    parts add up to nothing."""
    exact = [Decimal(str(part)) if isinstance(part, float) else part for part in parts]
    whole = sum(exact, Decimal(0))
    if not whole:
        return [Decimal(0).quantize(Decimal(1).scaleb(-places)) for _part in exact]
    return rounded_to_total([part * 100 / whole for part in exact], Decimal(100), places)
