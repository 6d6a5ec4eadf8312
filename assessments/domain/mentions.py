"""@mentions in a comment (issue 18). Pure: no database, no request.

A mention is `@` (or the full-width `＠` a Japanese input method types) followed by a member's
user name or full name, in either order, with or without the space: 「@佐藤 健二」, 「@佐藤健二」,
「@kenji」, "@Kenji Sato". The longest name that fits wins, so 「@佐藤 健二さん」 mentions 佐藤 健二
and "@kenji2" is not "@kenji". A mark right after a letter or digit of an address
(taro@example.co.jp) mentions nobody; a mark followed by nothing (a lone "@") neither.

What follows a mark and is nobody's name is `unknown` (「@佐藤さん」 when only 佐藤 健二 is a
member), a name two members share is `ambiguous` (then only their user names tell them apart):
the comment is refused and they are named, rather than someone going unnotified."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MARKS = "@＠"
# What may stand before a mark that starts a mention: anything but a character of an e-mail
# address's local part (then the mark is the address's).
_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]")
# Where an unknown name ends, to quote it: a space, a punctuation mark or a bracket.
_UNKNOWN = re.compile(r"[^\s、。，．,.!?！？「」『』()（）\[\]【】:：;；/]{1,30}")
# After a name ending in a letter or digit, the next character must not be one.
_WORD = re.compile(r"[A-Za-z0-9_]")


@dataclass(frozen=True)
class Person:
    """Someone who may be mentioned: an id and every name that may follow the mark."""

    key: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Span:
    """A mention as written, the mark included: text[start:end]; `key`: whose (None: nobody's
    or more than one's)."""

    start: int
    end: int
    key: int | None


@dataclass(frozen=True)
class Found:
    mentioned: tuple[int, ...]  # each once, in the order written
    unknown: tuple[str, ...]  # "@name" as written, each once
    ambiguous: tuple[str, ...]
    spans: tuple[Span, ...]

    @property
    def refused(self) -> bool:
        return bool(self.unknown or self.ambiguous)


def person(key: int, username: str, family: str = "", given: str = "") -> Person:
    """A person's names: the user name, and the full name family first and given first, with
    and without the space (or whichever of the two names there is)."""
    family, given = family.strip(), given.strip()
    names = [username]
    if family and given:
        names += [f"{family} {given}", f"{family}{given}", f"{given} {family}", f"{given}{family}"]
    elif family or given:
        names.append(family or given)
    return Person(key, tuple(dict.fromkeys(name for name in names if name)))


def _pattern(name: str) -> str:
    """The name as a pattern: any run of spaces (full-width ones too) for a space."""
    return r"[ \u3000]+".join(re.escape(part) for part in name.split())


def find(text: str, people: Iterable[Person]) -> Found:
    """The mentions of `text` among `people`."""
    owners: dict[str, set[int]] = {}
    for who in people:
        for name in who.names:
            owners.setdefault(" ".join(name.casefold().split()), set()).add(who.key)
    # Longest first: the first alternative that fits is taken.
    names = sorted(owners, key=len, reverse=True)
    matcher = (
        re.compile("|".join(f"({_pattern(name)})" for name in names), re.IGNORECASE)
        if names
        else None
    )
    spans: list[Span] = []
    mentioned: dict[int, None] = {}
    unknown: dict[str, None] = {}
    ambiguous: dict[str, None] = {}
    position = 0
    while (start := _next_mark(text, position)) is not None:
        match = matcher.match(text, start + 1) if matcher else None
        if match is not None and not _cut_short(text, match.end()):
            keys = owners[names[(match.lastindex or 1) - 1]]
            key = next(iter(keys)) if len(keys) == 1 else None
            spans.append(Span(start, match.end(), key))
            if key is None:
                ambiguous[text[start : match.end()]] = None
            else:
                mentioned[key] = None
            position = match.end()
            continue
        word = _UNKNOWN.match(text, start + 1)
        if word is not None and word.group(0)[0] not in MARKS:
            spans.append(Span(start, word.end(), None))
            unknown[text[start : word.end()]] = None
            position = word.end()
        else:
            position = start + 1
    return Found(tuple(mentioned), tuple(unknown), tuple(ambiguous), tuple(spans))


def _next_mark(text: str, position: int) -> int | None:
    for index in range(position, len(text)):
        if text[index] in MARKS and (index == 0 or not _ADDRESS.match(text[index - 1])):
            return index
    return None


def _cut_short(text: str, end: int) -> bool:
    """A name ending in a letter or digit continued by one ("@kenji2"): not that name."""
    return 0 < end < len(text) and bool(_WORD.match(text[end - 1]) and _WORD.match(text[end]))


def pieces(text: str, spans: Sequence[Span], keys: Iterable[int]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, whether it is a mention of one of `keys`): what a page highlights."""
    wanted = set(keys)
    found: list[tuple[str, bool]] = []
    position = 0
    for span in spans:
        if span.key is None or span.key not in wanted:
            continue
        if span.start > position:
            found.append((text[position : span.start], False))
        found.append((text[span.start : span.end], True))
        position = span.end
    if position < len(text):
        found.append((text[position:], False))
    return found
