"""The inventory's charts (SPEC 4.2, 4.8) as SVG, drawn by matplotlib in the Japanese font.

The same SVG is shown on the assessment's overview page and embedded in the PDF report. Text stays
text (`svg.fonttype = none`): selectable in the PDF, and escaped by matplotlib's XML writer, so a
department named `<script>` is drawn as those characters. Only this module's output is marked
safe; callers pass plain data (names and hours), never HTML.

matplotlib is imported on first use: pages without charts do not pay for it."""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from outsourcing_advisor.common.wording import percentages

if TYPE_CHECKING:
    from assessments.domain.inventory import Group

FONT_FAMILY = "IPAexGothic"
MAX_BARS = 10  # the largest groups; the rest are summed into one "Other" bar
BAR_COLOUR = "#2c6fbb"
MUTED_COLOUR = "#adb5bd"  # tasks without a model yet
TEXT_COLOUR = "#212529"
WIDTH_INCHES = 6.4
LABEL_POINTS = 8.5
VALUE_POINTS = 7.5
# The XML declaration and DOCTYPE of a standalone SVG file: not wanted inside HTML.
_PROLOG = re.compile(r"\A(?:<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|\s)*", re.IGNORECASE)
# matplotlib names its groups "patch_1", "text_2"…: the same names in both charts of a page. Nothing
# refers to them (references go to the hashed ids of <defs>), so they are dropped. Text content
# cannot match: matplotlib writes "<" in text as "&lt;".
_GROUP_ID = re.compile(r'(<g) id="[^"]*"')
_SIZE = re.compile(r' width="[\d.]+pt" height="[\d.]+pt"')
# matplotlib styles its shapes with a <style> sheet and `style` attributes. Inside HTML a <style>
# element styles the whole page, and WeasyPrint reads `style` attributes as HTML CSS (and warns
# about every `fill`); SVG's own presentation attributes say the same to browsers and WeasyPrint.
_STYLE_SHEET = re.compile(r"<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>\s*")
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
# rcParams are global: one chart at a time in a threaded server.
_LOCK = threading.Lock()


def clear_caches() -> None:
    """Forget every chart drawn (the benchmark redraws them as a fresh server would)."""
    for cached in (_bar_chart, _cost_chart, _roadmap_chart):
        cached.cache_clear()


def font_file() -> Path:
    """The Japanese font of the charts and the report: settings.REPORT_FONT_FILE, else the IPAex
    Gothic (TrueType) that matplotlib-fontja ships. TrueType on purpose: WeasyPrint subsets it in
    a fraction of a second, where a CFF/OTC CJK font takes seconds (SPEC 5.1)."""
    configured = getattr(settings, "REPORT_FONT_FILE", "")
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec("matplotlib_fontja")  # found without importing matplotlib
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib-fontja is not installed: no Japanese font for the charts")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / "ipaexg.ttf"


@functools.cache
def _matplotlib() -> tuple[Any, str]:
    """matplotlib's Figure class and the family name of our font, set up once per process."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    path = str(font_file())
    font_manager.fontManager.addfont(path)
    return Figure, font_manager.FontProperties(fname=path).get_name()


def hours_chart(
    groups: Sequence[Group], *, key: str, width_inches: float = WIDTH_INCHES
) -> SafeString:
    """Horizontal bars of annual hours per group (largest first, as `inventory.breakdown` returns
    them), each labelled with its hours and share. `key` ("department", "model") names the chart
    and keeps its ids apart from another chart's on the same page. Empty without hours. A phone's
    page draws it narrower (`width_inches`): scaled down to a phone's width, the report's 6.4 inches
    left labels of 6 px (QA 16)."""
    shown = [g for g in groups if g.annual_hours > 0]
    if not shown:
        return mark_safe("")
    decided = [g for g in shown if not g.undecided]
    # The largest groups, the rest summed into one bar; the tasks without a model last, in grey:
    # every hour is drawn, so the bars add up to the inventory's.
    bars = [(g.name, g.annual_hours, False) for g in decided[:MAX_BARS]]
    if len(decided) > MAX_BARS:
        rest = decided[MAX_BARS:]
        label = _("Other (%(count)d)") % {"count": len(rest)}
        bars.append((label, sum(g.annual_hours for g in rest), False))
    bars += [(g.name, g.annual_hours, True) for g in shown if g.undecided]
    # Whole percentages adding up to 100 (largest remainder): never 48 + 38 + 13 = 99%.
    percents = percentages([hours for _name, hours, _muted in bars], places=0)
    drawn = tuple(
        (name, hours, str(percent), muted)
        for (name, hours, muted), percent in zip(bars, percents, strict=True)
    )
    value_label = _("%(hours)s h (%(share)s%%)")
    # The words are part of the cache key: a chart is drawn once per language and data.
    svg = _bar_chart(drawn, key, value_label, width_inches)
    # The same figures in words, for screen readers (escaped here: names are user text).
    words = "; ".join(
        f"{name} {value_label % {'hours': f'{hours:,.0f}', 'share': percent}}"
        for name, hours, percent, _muted in drawn
    )
    svg = svg.replace('role="img"', f'role="img" aria-label="{escape(words)}"', 1)
    return mark_safe(svg)  # matplotlib's XML writer has escaped every text in it


@functools.lru_cache(maxsize=32)
def _bar_chart(
    bars: tuple[tuple[str, float, str, bool], ...],
    key: str,
    value_label: str,
    width_inches: float = WIDTH_INCHES,
) -> str:
    """Drawn once per distinct data and language (some 50 ms): the overview page is shown far
    more often than its figures change. Each bar: name, hours, its percentage as shown, and
    whether it is muted (tasks without a model yet)."""
    import matplotlib

    figure_class, family = _matplotlib()
    names = [_shorten(name) for name, _hours, _share, _muted in reversed(bars)]  # largest on top
    values = [hours for _name, hours, _share, _muted in reversed(bars)]
    shares = [share for _name, _hours, share, _muted in reversed(bars)]
    colours = [MUTED_COLOUR if muted else BAR_COLOUR for *_bar, muted in reversed(bars)]
    height = 0.2 + 0.3 * len(bars)
    # The left margin fits the longest label, computed here: a layout engine draws twice.
    left = 0.16 + max(_width_em(name) for name in names) * LABEL_POINTS / 72
    with _LOCK, matplotlib.rc_context(_style(key, family)):
        figure = figure_class(figsize=(width_inches, height))
        figure.subplots_adjust(
            left=left / width_inches, right=0.98, top=1 - 0.1 / height, bottom=0.1 / height
        )
        axes = figure.add_subplot()
        positions = list(range(len(values)))
        figure.patch.set_visible(False)  # no background shapes: the page's shows through
        axes.patch.set_visible(False)
        axes.barh(positions, values, color=colours, height=0.62, clip_on=False)
        axes.set_yticks(positions, names)
        axes.tick_params(axis="y", length=0)
        top = max(values)
        # Room right of the longest bar for its figures: on a narrow (phone's) chart a quarter
        # of the bar was not enough and 「1,616 時間（27%）」 was cut.
        words_inches = (
            0.1
            + max(
                _width_em(value_label % {"hours": f"{value:,.0f}", "share": share})
                for value, share in zip(values, shares, strict=True)
            )
            * VALUE_POINTS
            / 72
        )
        bars_inches = width_inches * 0.98 - left
        axes.set_xlim(0, top * max(1.25, bars_inches / max(bars_inches - words_inches, 0.5)))
        for position, value, share in zip(positions, values, shares, strict=True):
            words = value_label % {"hours": f"{value:,.0f}", "share": share}
            axes.text(
                value + top * 0.01,
                position,
                words,
                va="center",
                fontsize=VALUE_POINTS,
                color=TEXT_COLOUR,
            )
        # The bars carry their figures: no x axis, grid or frame (fewer shapes to draw and print).
        axes.xaxis.set_visible(False)
        for spine in axes.spines.values():
            spine.set_visible(False)
        return _svg(figure, key)


def _style(key: str, family: str) -> dict[str, Any]:
    return {
        "font.family": family,
        "font.size": LABEL_POINTS,
        "svg.fonttype": "none",  # text as text: selectable, searchable, escaped
        "text.parse_math": False,  # a "$" in a name is a dollar sign, not TeX
        "svg.hashsalt": f"chart-{key}",  # stable ids, apart from the other charts'
        "ytick.color": TEXT_COLOUR,
        "xtick.color": TEXT_COLOUR,
    }


def _svg(figure: Any, key: str) -> str:
    """The figure as an SVG element for an HTML page (called under _LOCK, in its rc_context)."""
    stream = io.StringIO()
    metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
    figure.savefig(stream, format="svg", metadata=metadata)
    svg = _PROLOG.sub("", stream.getvalue(), count=1)
    svg = _STYLE_SHEET.sub("", _GROUP_ID.sub(r"\1", svg), count=1)
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    # Without a fixed width and height it scales to its container, keeping the viewBox's shape.
    svg = _SIZE.sub("", svg, count=1)
    return svg.replace("<svg ", f'<svg class="chart" data-chart="{key}" role="img" ', 1)


def _presentation_attributes(match: re.Match[str]) -> str:
    """` style="fill: #fff; font-size: 8px"` -> ` fill="#fff" font-size="8px"` (matplotlib's
    own declarations: property names and values, no user text)."""
    attributes = []
    for declaration in match.group(1).split(";"):
        if ":" not in declaration:
            continue
        name, value = (part.strip() for part in declaration.split(":", 1))
        if name == "font-family":
            value += ", sans-serif"  # a browser without IPAex Gothic: not its default serif
        attributes.append(f' {name}="{value}"')
    return "".join(attributes)


def _width_em(text: str) -> float:
    """Roughly how wide a label is, in em: full-width (Japanese) characters 1, others 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def _shorten(name: str, limit_em: float = 16) -> str:
    """A bar's label on one line: a long name ends with an ellipsis (the tables give it whole)."""
    name = " ".join(name.split())
    if _width_em(name) <= limit_em:
        return name
    kept, width = [], 1.0  # room for the ellipsis
    for character in name:
        width += _width_em(character)
        if width > limit_em:
            break
        kept.append(character)
    return "".join(kept) + "…"


# --- the cost over the horizon and the roadmap (SPEC 4.5, 4.8) -------------------------------

IN_HOUSE_COLOUR = "#8a939b"
OUTSOURCED_COLOUR = "#2c6fbb"
BREAK_EVEN_COLOUR = "#1f7a4d"
# The roadmap's phases, in order, with their colours (roadmap.PhaseKind values).
PHASE_COLOURS = {
    "preparation": "#c9d6e8",
    "selection": "#8fb0d9",
    "contract": "#2c6fbb",
    "pilot": "#d39a2c",
    "parallel": "#b7791f",
    "steady": "#1f7a4d",
}


def cost_chart(path: Sequence[Any], break_even_month: int | None, *, key: str) -> SafeString:
    """The cumulative cost of keeping the work in-house and of outsourcing it, month by month
    over the horizon (`path`: horizon.Month-like rows with month, in_house and outsourced), with
    the break-even month marked. Empty without months."""
    if len(path) < 2:
        return mark_safe("")
    rows = tuple((int(m.month), float(m.in_house), float(m.outsourced)) for m in path)
    labels = (
        _("Keep in-house"),
        _("Outsource"),
        _("Cumulative cost (¥ million)"),
        _("Months from the start"),
        _("Break-even: month %(month)s") % {"month": break_even_month}
        if break_even_month is not None
        else "",
    )
    svg = _cost_chart(rows, break_even_month, key, labels)
    last = rows[-1]
    words = _(
        "Cumulative cost over %(months)s months: in-house ¥%(in_house)s, outsourced "
        "¥%(outsourced)s."
    ) % {"months": last[0], "in_house": f"{last[1]:,.0f}", "outsourced": f"{last[2]:,.0f}"}
    if labels[4]:
        words += " " + labels[4]
    svg = svg.replace('role="img"', f'role="img" aria-label="{escape(words)}"', 1)
    return mark_safe(svg)  # matplotlib's XML writer has escaped every text in it


@functools.lru_cache(maxsize=32)
def _cost_chart(
    rows: tuple[tuple[int, float, float], ...],
    break_even_month: int | None,
    key: str,
    labels: tuple[str, str, str, str, str],
) -> str:
    import matplotlib

    figure_class, family = _matplotlib()
    in_house_label, outsourced_label, y_label, x_label, break_even_label = labels
    months = [month for month, _i, _o in rows]
    in_house = [value / 1_000_000 for _m, value, _o in rows]
    outsourced = [value / 1_000_000 for _m, _i, value in rows]
    with _LOCK, matplotlib.rc_context(_style(key, family)):
        figure = figure_class(figsize=(WIDTH_INCHES, 2.5))
        figure.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.3)
        axes = figure.add_subplot()
        figure.patch.set_visible(False)
        axes.patch.set_visible(False)
        axes.plot(months, in_house, color=IN_HOUSE_COLOUR, linewidth=1.6, label=in_house_label)
        axes.plot(
            months, outsourced, color=OUTSOURCED_COLOUR, linewidth=1.8, label=outsourced_label
        )
        if break_even_month is not None and break_even_month <= months[-1]:
            axes.axvline(break_even_month, color=BREAK_EVEN_COLOUR, linewidth=1, linestyle="--")
            axes.text(
                break_even_month + months[-1] * 0.01,
                max(max(in_house), max(outsourced)) * 0.95,
                break_even_label,
                fontsize=VALUE_POINTS,
                color=BREAK_EVEN_COLOUR,
                va="top",
            )
        axes.set_xlim(0, months[-1])
        axes.set_ylim(0, None)
        step = 6 if months[-1] > 24 else 3
        axes.set_xticks(list(range(0, months[-1] + 1, step)))
        axes.set_xlabel(x_label, fontsize=VALUE_POINTS)
        axes.set_ylabel(y_label, fontsize=VALUE_POINTS)
        axes.tick_params(labelsize=VALUE_POINTS, length=2)
        axes.grid(axis="y", color="#dee2e6", linewidth=0.5)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        # Below the plot: inside it, an early break-even's label would run into it.
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.3),
            ncol=2,
            fontsize=VALUE_POINTS,
            frameon=False,
        )
        return _svg(figure, key)


def roadmap_chart(
    lanes: Sequence[tuple[str, Sequence[tuple[str, int, int]]]],
    months: int,
    phase_labels: dict[str, str],
    *,
    key: str = "roadmap",
) -> SafeString:
    """A Gantt-like chart of the transition: one bar per package (`lanes`: its name and its
    phases as (kind, first month, months)), coloured by phase, months along the bottom."""
    if not lanes or months < 1:
        return mark_safe("")
    frozen = tuple(
        (name, tuple((kind, int(start), int(length)) for kind, start, length in phases))
        for name, phases in lanes
    )
    kinds = tuple(
        (kind, phase_labels.get(kind, kind))
        for kind in PHASE_COLOURS
        if any(kind == k for _n, phases in frozen for k, _s, _l in phases)
    )
    svg = _roadmap_chart(frozen, months, kinds, key, _("Months from the decision"))
    words = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{phase_labels.get(kind, kind)} {start}–{start + length - 1}"
            for kind, start, length in phases
        )
        for name, phases in frozen
    )
    svg = svg.replace('role="img"', f'role="img" aria-label="{escape(words)}"', 1)
    return mark_safe(svg)  # matplotlib's XML writer has escaped every text in it


@functools.lru_cache(maxsize=16)
def _roadmap_chart(
    lanes: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...],
    months: int,
    kinds: tuple[tuple[str, str], ...],
    key: str,
    month_label: str,
) -> str:
    import matplotlib
    from matplotlib.patches import Patch

    figure_class, family = _matplotlib()
    names = [_shorten(name, 14) for name, _phases in lanes]
    height = 0.95 + 0.32 * len(lanes)
    left = 0.16 + max(_width_em(name) for name in names) * LABEL_POINTS / 72
    with _LOCK, matplotlib.rc_context(_style(key, family)):
        figure = figure_class(figsize=(WIDTH_INCHES, height))
        figure.subplots_adjust(
            left=left / WIDTH_INCHES, right=0.98, top=1 - 0.08 / height, bottom=0.82 / height
        )
        axes = figure.add_subplot()
        figure.patch.set_visible(False)
        axes.patch.set_visible(False)
        for row, (_name, phases) in enumerate(lanes):
            y = len(lanes) - 1 - row  # the first lane at the top
            axes.broken_barh(
                [(start - 1, length) for _kind, start, length in phases],
                (y - 0.32, 0.64),
                facecolors=[PHASE_COLOURS.get(kind, "#adb5bd") for kind, _s, _l in phases],
                edgecolor="white",
                linewidth=0.6,
            )
        axes.set_yticks(range(len(lanes)), list(reversed(names)))
        axes.tick_params(axis="y", length=0)
        axes.set_xlim(0, months)
        step = 1 if months <= 18 else 3
        ticks = list(range(1, months + 1, step))
        axes.set_xticks([tick - 0.5 for tick in ticks], [str(tick) for tick in ticks])
        axes.tick_params(axis="x", labelsize=VALUE_POINTS, length=0)
        axes.set_xlabel(month_label, fontsize=VALUE_POINTS)
        axes.grid(axis="x", color="#e9ecef", linewidth=0.4)
        axes.set_axisbelow(True)
        for spine in axes.spines.values():
            spine.set_visible(False)
        axes.legend(
            handles=[Patch(color=PHASE_COLOURS[kind], label=label) for kind, label in kinds],
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=figure.transFigure,
            ncol=len(kinds),
            fontsize=VALUE_POINTS,
            frameon=False,
            handlelength=1.2,
        )
        return _svg(figure, key)
