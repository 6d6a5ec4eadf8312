"""What a package's vendor page says about the decision's economics (SPEC 4.5, 4.6), in the
reader's language: the terms, the cost over the horizon of a costed quote with its chart, the
saving as a range, the weight moves that change the winner (the smallest one in a sentence) and
each vendor's probability of ranking first.

The figures come from `vendors.services.selection`; this module only chooses and words them.
Money is rounded once, where it is shown (the `yen` filter). What depends on the scores (the
winner, its sensitivity, who may rank first) is worded only for a reader the sealing rule lets
see the ranking (vendors/services/sealing.py): the caller says whether it is sealed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.reporting import charts
from assessments.templatetags.figures import yen
from assessments.web.access import form_id
from vendors.domain import horizon, uncertainty
from vendors.reporting import sensitivity
from vendors.services import selection
from vendors.web.forms import PackageTermsForm

# The saving's range says where 8 draws out of 10 fall: between P10 and P90.
RANGE_SHARE = "8"


def whole_percent(share: Decimal) -> str:
    """A share from 0 to 1 as a whole per cent: 0.873 → 87%."""
    return f"{(share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) + 0}%"


def probability_rows(chosen: selection.Selection) -> list[tuple[str, str]]:
    """(vendor, its probability of ranking first) most likely first; [] when nothing varies."""
    ordered = sorted(chosen.first_probabilities.items(), key=lambda item: (-item[1], item[0]))
    return [(name, whole_percent(share)) for name, share in ordered]


def probability_words() -> str:
    return _(
        "In %(draws)s trials where each evaluator's scores count more or less (so each "
        "vendor's quality moves within its evaluators' spread) and every weight, the price "
        "weight included, moves by up to ±10 points, the share of trials in which each vendor "
        "comes first. Far from 100%%, the choice depends on whose judgement and which weights "
        "prevail: discuss the scores before deciding."
    ) % {"draws": f"{uncertainty.PANEL_DRAWS:,}"}


# --- the cost over the horizon ---------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """The quote whose cost over the horizon the page shows, with its chart and words."""

    outlook: selection.Outlook
    recommended: bool  # the first-ranked vendor's (said only when the ranking is not sealed)
    chart: SafeString
    range_words: SafeString | str
    break_even: str
    median_break_even: str
    chance: str  # the probability of a saving, a whole per cent; "" without a range


def costed(chosen: selection.Selection) -> list[selection.BidLine]:
    """The quotes the cost over the horizon can be shown for, excluded vendors' too (their
    quote is no score)."""
    return [line for line in chosen.lines if line.horizon is not None]


def shown_outlook(chosen: selection.Selection, wanted: int | None, *, sealed: bool) -> Shown | None:
    """The quote asked for (`wanted`, a bid's id), else the recommended vendor's, else the
    first costed; None without a costed quote. While the ranking is sealed for the reader the
    recommended vendor is neither chosen by default nor named."""
    lines = costed(chosen)
    recommended = None if sealed else chosen.recommended
    line = next((line for line in lines if line.bid.pk == wanted), None)
    if line is None and recommended is not None and recommended.horizon is not None:
        line = recommended
    if line is None and lines:
        line = lines[0]
    if line is None or line.horizon is None:
        return None
    path = horizon.path(chosen.in_house_cost, selection.quote_of(line.bid), chosen.terms)
    outlook = selection.Outlook(line, line.horizon, path, line.saving)
    month = line.horizon.break_even_month
    return Shown(
        outlook=outlook,
        recommended=recommended is not None and line.bid.pk == recommended.bid.pk,
        chart=charts.cost_chart(path, month, key=f"cost-{line.bid.pk}"),
        range_words=range_words(chosen, outlook),
        break_even=break_even_words(month, chosen.terms),
        median_break_even=break_even_words(
            line.saving.break_even_month if line.saving else None, chosen.terms
        ),
        chance=whole_percent(line.saving.p_positive) if line.saving else "",
    )


def break_even_words(month: int | None, terms: horizon.Terms) -> str:
    if month is None:
        return _("never: the vendor costs as much as the in-house cost it releases, or more")
    if month > terms.months:
        return _("month %(month)s, after the %(years)s-year horizon") % {
            "month": month,
            "years": terms.years,
        }
    return _("month %(month)s") % {"month": month}


def range_words(chosen: selection.Selection, outlook: selection.Outlook) -> SafeString | str:
    """What the saving's range means, in one plain sentence, naming the quote."""
    saving = outlook.range
    if saving is None:
        return ""
    bid = outlook.line.bid
    values = {
        "spread": chosen.package.assessment.organisation.estimate_spread,
        "draws": f"{saving.draws:,}",
        "years": chosen.terms.years,
        "vendor": conditional_escape(bid.vendor.name),
        "low": unbroken(yen(saving.horizon[0])),
        "high": unbroken(yen(saving.horizon[2])),
        "share": RANGE_SHARE,
        "chance": whole_percent(saving.p_positive),
    }
    if selection.outcome_range(bid) is not None:
        return _words(
            _(
                "The inventory's minutes and volumes are estimates, and so is the number of "
                "outcomes a year the quote of %(vendor)s is paid for. Letting the minutes and "
                "volumes vary by ±%(spread)s%% (or between the sheet's busy- and quiet-period "
                "values where it gives them) and the outcomes between the quote's lowest and "
                "highest, %(draws)s trials put the saving over %(years)s years between "
                "%(low)s and %(high)s in %(share)s trials out of 10; the probability of a "
                "saving is %(chance)s."
            ),
            values,
        )
    return _words(
        _(
            "The inventory's minutes and volumes are estimates. Letting each vary by "
            "±%(spread)s%% (or between the sheet's busy- and quiet-period values where it gives "
            "them), %(draws)s trials put the saving over %(years)s years with the quote of "
            "%(vendor)s between %(low)s and %(high)s in %(share)s trials out of 10; the "
            "probability of a saving is %(chance)s."
        ),
        values,
    )


def unbroken(text: str) -> SafeString:
    """A figure that never breaks across lines (−¥2,013,884 would break after the sign)."""
    return format_html('<span class="text-nowrap">{}</span>', text)


def _words(sentence: str, values: dict[str, Any]) -> SafeString:
    """A translated sentence filled with values already escaped: the sentence is escaped
    first, so that neither it nor a value can bring markup of its own."""
    return mark_safe(escape(sentence) % values)  # every value is escaped or a plain number


# --- the page ----------------------------------------------------------------------------------


def context(
    request: HttpRequest,
    chosen: selection.Selection,
    *,
    sealed: bool,
    prices_hidden: bool = False,
    terms_form: PackageTermsForm | None = None,
) -> dict[str, Any]:
    """What the vendor page shows of the economics; `terms_form`: the terms as posted when
    their save was refused. `prices_hidden`: the reader is on the panel, still scoring blind
    (sealing.price_seal): no cost over the horizon, no range, not even which quotes are costed.
    The terms hold no price and stay."""
    package = chosen.package
    if terms_form is None and package.assessment.can_override:
        terms_form = PackageTermsForm.of(package)
    shown = (
        None
        if prices_hidden
        else shown_outlook(chosen, form_id(request.GET.get("bid")), sealed=sealed)
    )
    return {
        "terms_form": terms_form,
        "default_months": horizon.default_parallel_months(package.model),
        "shown": shown,
        "costed_lines": [] if prices_hidden else costed(chosen),
        # Sealed: not even handed to the template.
        **(
            {}
            if sealed
            else {
                "flip_rows": sensitivity.flip_rows(
                    chosen.sensitivity, chosen.weights, chosen.price_weight
                ),
                "stable_words": sensitivity.stable_words(chosen.sensitivity),
                # Said in the stable box when no single move changes the winner.
                "smallest_words": ""
                if chosen.sensitivity.stable and chosen.sensitivity.smallest is None
                else sensitivity.smallest_words(
                    chosen.sensitivity, chosen.weights, chosen.price_weight
                ),
                "probability_rows": probability_rows(chosen),
                "probability_words": probability_words() if chosen.first_probabilities else "",
            }
        ),
    }
