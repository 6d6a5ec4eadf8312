"""The panel's statistics in words (vendors/domain/panel.py): one plain sentence per statistic,
in the reader's language, as a consultant would say it to the client. Figures are rounded here,
once, to one decimal (the totals' 0–100 points) or a whole per cent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.templatetags.figures import score
from outsourcing_advisor.common.wording import listing
from vendors.domain import panel
from vendors.services.panel import criterion_label

# Within this many points of the others, an evaluator scores "in line with" them.
IN_LINE = Decimal("0.05")


@dataclass(frozen=True)
class LeniencyLine:
    name: str
    points: str  # signed, one decimal: "+12.5", "−3.0"; "" without a comparison
    vendors: int
    far: bool
    sentence: str


@dataclass(frozen=True)
class StatisticsWords:
    leniency: list[LeniencyLine]
    agreement: str
    far: str
    splits: list[str]  # the criteria where the evaluators are two points apart or more


def signed(points: Decimal) -> str:
    text = score(abs(points))
    if text == score(Decimal(0)):
        return text
    return f"+{text}" if points > 0 else f"−{text}"


def leniency_sentence(entry: panel.Leniency, name: str) -> str:
    if entry.points is None:
        return _("%(name)s: no other evaluator scored the same vendors, so no comparison yet.") % {
            "name": name
        }
    values = {"name": name, "points": score(abs(entry.points)), "vendors": entry.vendors}
    if abs(entry.points) < IN_LINE:
        return (
            ngettext(
                "%(name)s scores in line with the other evaluators (over %(vendors)s vendor).",
                "%(name)s scores in line with the other evaluators (over %(vendors)s vendors).",
                entry.vendors,
            )
            % values
        )
    if entry.points > 0:
        return (
            ngettext(
                "%(name)s scores %(points)s points above the other evaluators on average (over "
                "%(vendors)s vendor).",
                "%(name)s scores %(points)s points above the other evaluators on average (over "
                "%(vendors)s vendors).",
                entry.vendors,
            )
            % values
        )
    return (
        ngettext(
            "%(name)s scores %(points)s points below the other evaluators on average (over "
            "%(vendors)s vendor).",
            "%(name)s scores %(points)s points below the other evaluators on average (over "
            "%(vendors)s vendors).",
            entry.vendors,
        )
        % values
    )


def agreement_sentence(agreement: panel.Agreement) -> str:
    share = agreement.share
    if share is None:
        return _(
            "Agreement needs two evaluators who scored the same criterion of the same vendor: "
            "none yet."
        )
    percent = (share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return ngettext(
        "Agreement %(percent)s%%: in %(close)s of %(count)s comparison, two evaluators' scores "
        "of the same criterion of the same vendor are at most one point apart.",
        "Agreement %(percent)s%%: in %(close)s of %(count)s comparisons, two evaluators' scores "
        "of the same criterion of the same vendor are at most one point apart.",
        agreement.comparisons,
    ) % {"percent": percent, "close": agreement.close, "count": agreement.comparisons}


def far_sentence(statistics: panel.PanelStatistics, names: Mapping[str, str]) -> str:
    compared = [entry for entry in statistics.leniency if entry.points is not None]
    if len(compared) < panel.FAR_MIN_EVALUATORS:
        return _(
            "With fewer than three evaluators to compare, no one can be far from the rest: each "
            "one's difference mirrors the other's."
        )
    far = statistics.far
    if not far:
        return _(
            "No evaluator is far from the rest (15 points or more from the others on average, "
            "and at least twice the panel's typical difference)."
        )
    return " ".join(
        (
            _(
                "%(name)s is far from the rest: %(points)s points above the others on average. "
                "Talk it through before deciding: did they read the criteria differently?"
            )
            if entry.points is not None and entry.points > 0
            else _(
                "%(name)s is far from the rest: %(points)s points below the others on average. "
                "Talk it through before deciding: did they read the criteria differently?"
            )
        )
        % {
            "name": names.get(entry.evaluator, entry.evaluator),
            "points": score(abs(entry.points or 0)),
        }
        for entry in far
    )


def split_words(split: panel.Split, names: Mapping[str, str]) -> str:
    return _("%(vendor)s, %(criterion)s: %(low)s (%(lowest)s) to %(high)s (%(highest)s)") % {
        "vendor": split.vendor,
        "criterion": criterion_label(split.criterion),
        "low": split.low,
        "high": split.high,
        "lowest": listing([names.get(n, n) for n in split.lowest]),
        "highest": listing([names.get(n, n) for n in split.highest]),
    }


def statistics_words(
    statistics: panel.PanelStatistics | None, names: Mapping[str, str]
) -> StatisticsWords | None:
    """The statistics in words; None while they are sealed for the reader."""
    if statistics is None:
        return None
    lines = [
        LeniencyLine(
            names.get(entry.evaluator, entry.evaluator),
            "" if entry.points is None else signed(entry.points),
            entry.vendors,
            entry.far,
            leniency_sentence(entry, names.get(entry.evaluator, entry.evaluator)),
        )
        for entry in statistics.leniency
    ]
    return StatisticsWords(
        leniency=lines,
        agreement=agreement_sentence(statistics.agreement),
        far=far_sentence(statistics, names),
        splits=[split_words(split, names) for split in statistics.splits],
    )
