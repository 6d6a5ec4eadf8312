"""The sensitivity of a package's winner in words (SPEC 4.6): each weight move that changes it,
and the smallest one in a sentence. One wording for the vendor page and the PDF report."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.domain import choices
from assessments.domain.choices import VendorCriterion
from outsourcing_advisor.common.wording import listing, plain_number
from vendors.domain import scoring


def weight_label(flip: scoring.Flip) -> str:
    if flip.criterion == scoring.PRICE:
        return _("Price weight")
    return choices.label(VendorCriterion, flip.criterion)


def before_after(
    flip: scoring.Flip, weights: Mapping[str, Decimal], price_weight: Decimal
) -> tuple[str, str]:
    """The weight moved, before and after, as people write it (30% for the price weight)."""
    if flip.criterion == scoring.PRICE:
        return f"{plain_number(price_weight)}%", f"{plain_number(flip.price_weight)}%"
    return plain_number(weights[flip.criterion]), plain_number(flip.weights[flip.criterion])


def flip_rows(
    sensitivity: scoring.Sensitivity, weights: Mapping[str, Decimal], price_weight: Decimal
) -> list[tuple[str, str, str]]:
    """Each ±10 move that changes the winner: (the weight, the move, who is first then)."""
    rows = []
    for flip in sensitivity.flips:
        old, new = before_after(flip, weights, price_weight)
        sign = "+" if flip.delta > 0 else "−"
        move = f"{sign}{plain_number(abs(flip.delta))} ({old} → {new})"
        rows.append((weight_label(flip), move, listing(flip.winners) or _("no winner")))
    return rows


def stable_words(sensitivity: scoring.Sensitivity) -> str:
    """The stable box's one sentence (the winner holds within ±10 points); when no single move
    makes another vendor first at all, said in the same sentence, so that the page shows no
    second sentence repeating the winner; "" unless stable."""
    if not sensitivity.stable or not sensitivity.winners:
        return ""
    winner = {"winner": listing(sensitivity.winners)}
    if sensitivity.smallest is None:
        return (
            _(
                "Stable: moving any single weight, the price weight included, as far as it goes "
                "leaves %(winner)s first."
            )
            % winner
        )
    return (
        _(
            "Stable: %(winner)s stays first whichever single weight, the price weight included, "
            "moves by ±10 points."
        )
        % winner
    )


def smallest_words(
    sensitivity: scoring.Sensitivity, weights: Mapping[str, Decimal], price_weight: Decimal
) -> str:
    """The smallest single weight move that changes the winner, in one sentence; that none
    does; "" while no vendor is ranked first."""
    if not sensitivity.winners:
        return ""
    flip = sensitivity.smallest
    if flip is None:
        return _(
            "Moving any single weight, the price weight included, as far as it goes leaves "
            "%(winner)s first."
        ) % {"winner": listing(sensitivity.winners)}
    old, new = before_after(flip, weights, price_weight)
    values = {"old": old, "new": new, "delta": plain_number(abs(flip.delta))}
    if flip.criterion == scoring.PRICE:
        condition = (
            _("If the price weight is raised from %(old)s to %(new)s")
            if flip.delta > 0
            else _("If the price weight is lowered from %(old)s to %(new)s")
        ) % values
    else:
        values["criterion"] = weight_label(flip)
        condition = (
            _(
                "If the weight of “%(criterion)s” is raised by %(delta)s points (from %(old)s "
                "to %(new)s, the other criteria rescaled)"
            )
            if flip.delta > 0
            else _(
                "If the weight of “%(criterion)s” is lowered by %(delta)s points (from %(old)s "
                "to %(new)s, the other criteria rescaled)"
            )
        ) % values
    return _("%(condition)s, %(outcome)s") % {
        "condition": condition,
        "outcome": _outcome(sensitivity.winners, flip.winners),
    }


def _outcome(before: tuple[str, ...], after: tuple[str, ...]) -> str:
    if not after:
        return _("no vendor can be ranked first.")
    if len(after) > 1:
        return _("%(vendors)s tie for first place.") % {"vendors": listing(after)}
    if len(before) > 1:
        return _("%(vendor)s alone is first.") % {"vendor": after[0]}
    return _("%(new)s takes first place from %(old)s.") % {"new": after[0], "old": before[0]}
