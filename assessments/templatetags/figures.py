"""How figures are shown everywhere: hours to one decimal, FTE to two, yen rounded once, here."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()
DASH = "—"


# A thousand table rows show six figures each: the quantizing steps are built once, and a Decimal
# is used as it is (Decimal(str(d)) is d again, exponent and all).
_STEPS = {places: Decimal(1).scaleb(-places) for places in (0, 1, 2)}


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _fixed(value: object, places: int) -> str:
    if value is None or value == "":
        return DASH
    number = _decimal(value).quantize(_STEPS[places], rounding=ROUND_HALF_UP)
    number += 0  # −0.4 rounds to −0: show 0
    return f"{number:,.{places}f}"


@register.filter
def hours(value: object) -> str:
    return _fixed(value, 1)


@register.filter
def fte(value: object) -> str:
    return _fixed(value, 2)


@register.filter
def yen(value: object) -> str:
    text = _fixed(value, 0)
    if text == DASH:
        return text
    return f"−¥{text[1:]}" if text.startswith("-") else f"¥{text}"  # −¥1,200, not ¥-1,200


@register.filter
def number(value: object) -> str:
    """A stored decimal without trailing zeros: 1.00 -> 1, 7.50 -> 7.5."""
    if value is None or value == "":
        return DASH
    return format(_decimal(value).normalize(), ",f")


@register.filter
def percent(value: object) -> str:
    if value is None:
        return DASH
    return f"{Decimal(str(value)) * 100:.1f}%"


@register.filter
def months(value: object) -> str:
    """A payback period to one decimal."""
    return _fixed(value, 1)


@register.filter
def score(value: object) -> str:
    """A suitability score, 0–100, to one decimal."""
    return _fixed(value, 1)


@register.filter
def points(value: object, places: int = 1) -> str:
    """Points of a score, signed, to one decimal (or `places`): +5.6, −2.8 (a typographic
    minus), 0.0."""
    text = _fixed(value, places)
    if text == DASH or text.startswith("-"):
        return text.replace("-", "−", 1)
    return f"+{text}" if text.strip("0.") else text


@register.filter
def percentage(value: object) -> str:
    """A share already in percent and rounded (inventory's apportioned shares): 48.4 -> 48.4%."""
    if value is None or value == "":
        return DASH
    return f"{_decimal(value)}%"
