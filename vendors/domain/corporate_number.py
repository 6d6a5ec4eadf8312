"""The 法人番号 (corporate number, 13 digits) and its check digit (国税庁, 法人番号の指定等に関する
省令 第2条): the first digit is 9 − (Σ Pn × Qn mod 9) over the other twelve, Pn the n-th digit
counted from the right, Qn 1 where n is odd and 2 where it is even. Pure."""

from __future__ import annotations

import unicodedata


def normalised(text: str) -> str:
    """Full-width digits made half-width; spaces and hyphens people type left out."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch not in " -‐−ー")


def check_digit(base: str) -> int:
    """The check digit of the twelve digits that follow it."""
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def is_valid(number: str) -> bool:
    return (
        len(number) == 13
        and number.isascii()
        and number.isdigit()
        and int(number[0]) == check_digit(number[1:])
    )
