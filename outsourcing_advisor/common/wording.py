"""Lists and numbers worded in the reader's language, and the languages there are: the one place
that knows Japanese joins names with 「、」 and runs sentences on without a space, where English
writes “, ” and a space. Everything that joins words for a reader uses `listing` (templates: the
`listing` filter and the `list_separator` tag of the `wording` tags).

The languages are settings.LANGUAGES, Japanese (settings.LANGUAGE_CODE) first; nothing else lists
their codes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

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
