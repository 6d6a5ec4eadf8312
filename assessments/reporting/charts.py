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

if TYPE_CHECKING:
    from assessments.domain.inventory import Group

FONT_FAMILY = "IPAexGothic"
MAX_BARS = 10  # the largest groups; the rest are summed into one "Other" bar
BAR_COLOUR = "#2c6fbb"
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


def hours_chart(groups: Sequence[Group], *, key: str) -> SafeString:
    """Horizontal bars of annual hours per group (largest first, as `inventory.breakdown` returns
    them), each labelled with its hours and share. `key` ("department", "model") names the chart
    and keeps its ids apart from another chart's on the same page. Empty without hours."""
    shown = [g for g in groups if g.annual_hours > 0]
    if not shown:
        return mark_safe("")
    bars = [(g.name, g.annual_hours, g.share) for g in shown[:MAX_BARS]]
    if len(shown) > MAX_BARS:
        rest = shown[MAX_BARS:]
        label = _("Other (%(count)d)") % {"count": len(rest)}
        bars.append((label, sum(g.annual_hours for g in rest), sum(g.share for g in rest)))
    value_label = _("%(hours)s h (%(share)s%%)")
    # The words are part of the cache key: a chart is drawn once per language and data.
    svg = _bar_chart(tuple(bars), key, value_label)
    # The same figures in words, for screen readers (escaped here: names are user text).
    words = "; ".join(
        f"{name} {value_label % {'hours': f'{hours:,.0f}', 'share': f'{share * 100:.0f}'}}"
        for name, hours, share in bars
    )
    svg = svg.replace('role="img"', f'role="img" aria-label="{escape(words)}"', 1)
    return mark_safe(svg)  # matplotlib's XML writer has escaped every text in it


@functools.lru_cache(maxsize=32)
def _bar_chart(bars: tuple[tuple[str, float, float], ...], key: str, value_label: str) -> str:
    """Drawn once per distinct data and language (some 50 ms): the overview page is shown far
    more often than its figures change."""
    import matplotlib

    figure_class, family = _matplotlib()
    names = [_shorten(name) for name, _hours, _share in reversed(bars)]  # largest at the top
    values = [hours for _name, hours, _share in reversed(bars)]
    shares = [share for _name, _hours, share in reversed(bars)]
    height = 0.2 + 0.3 * len(bars)
    # The left margin fits the longest label, computed here: a layout engine draws twice.
    left = 0.16 + max(_width_em(name) for name in names) * LABEL_POINTS / 72
    style = {
        "font.family": family,
        "font.size": LABEL_POINTS,
        "svg.fonttype": "none",  # text as text: selectable, searchable, escaped
        "text.parse_math": False,  # a "$" in a name is a dollar sign, not TeX
        "svg.hashsalt": f"chart-{key}",  # stable ids, apart from the other chart's
        "ytick.color": TEXT_COLOUR,
    }
    with _LOCK, matplotlib.rc_context(style):
        figure = figure_class(figsize=(WIDTH_INCHES, height))
        figure.subplots_adjust(
            left=left / WIDTH_INCHES, right=0.98, top=1 - 0.1 / height, bottom=0.1 / height
        )
        axes = figure.add_subplot()
        positions = list(range(len(values)))
        figure.patch.set_visible(False)  # no background shapes: the page's shows through
        axes.patch.set_visible(False)
        axes.barh(positions, values, color=BAR_COLOUR, height=0.62, clip_on=False)
        axes.set_yticks(positions, names)
        axes.tick_params(axis="y", length=0)
        top = max(values)
        axes.set_xlim(0, top * 1.25)
        for position, value, share in zip(positions, values, shares, strict=True):
            words = value_label % {"hours": f"{value:,.0f}", "share": f"{share * 100:.0f}"}
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
