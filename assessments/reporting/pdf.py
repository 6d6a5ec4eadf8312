"""The recommendation report as a PDF (SPEC 4.8): the report's HTML from a Django template
(auto-escaped), rendered by WeasyPrint.

WeasyPrint fetches what the HTML names (stylesheets, fonts, images) through `fetch_resource`,
which serves our own report stylesheet and the report font and refuses everything else: no
network, no `file:` outside those, no `data:`. User text reaches the template only as escaped text,
so it cannot name a resource in the first place; the fetcher is the second wall. Attachments are
never added."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from assessments.models import Assessment
from assessments.reporting import charts, report

TEMPLATE = "reports/report.html"
STYLESHEET = "css/report.css"


class RefusedResource(ValueError):
    """A URL the report may not fetch."""


def static_root() -> Path:
    """Our own static files (static/), where the report's stylesheet lives."""
    return Path(settings.BASE_DIR) / "static"


def allowed_files() -> tuple[Path, list[Path]]:
    """(the font file, the folders whose files may be served), resolved."""
    return charts.font_file().resolve(), [static_root().resolve()]


def fetch_resource(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint's url_fetcher: a `file:` URL of the report font or of a file under our static
    folder, read from disk; anything else raises RefusedResource (WeasyPrint then leaves the
    resource out and carries on)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedResource(f"the report fetches no {parts.scheme or 'relative'} URL: {url!r}")
    path = Path(unquote(parts.path)).resolve()  # follows symbolic links and ".."
    font, folders = allowed_files()
    if path != font and not any(path.is_relative_to(folder) for folder in folders):
        raise RefusedResource(f"the report reads no file outside its own: {url!r}")
    if not path.is_file():
        raise RefusedResource(f"no such file: {url!r}")
    mime_type, _encoding = mimetypes.guess_type(path.name)
    return {
        "string": path.read_bytes(),
        "mime_type": mime_type or "application/octet-stream",
        "redirected_url": path.as_uri(),
    }


def report_document(
    assessment: Assessment, *, lang: str, viewer: Any, prepared_by: str = ""
) -> tuple[str, str]:
    """(the report's HTML in `lang` (ja / en) as made for `viewer`, its seal key): whoever else
    gets this report must have the same key (vendors.services.sealing)."""
    with translation.override(lang):
        content = report.build_report(assessment, viewer=viewer, prepared_by=prepared_by)
        return render_to_string(TEMPLATE, {"report": content, "lang": lang}), content.seal_key


def report_html(assessment: Assessment, *, lang: str, viewer: Any, prepared_by: str = "") -> str:
    """The report's HTML in `lang` (ja / en), as made for `viewer`."""
    return report_document(assessment, lang=lang, viewer=viewer, prepared_by=prepared_by)[0]


def render_pdf(html: str) -> bytes:
    import weasyprint  # about half a second to import: only when a report is made
    from weasyprint.text.fonts import FontConfiguration

    base = static_root().resolve().as_uri() + "/"
    fonts = FontConfiguration()
    # The report's own font, embedded (subset) in the PDF; the fetcher serves this one file.
    font_face = weasyprint.CSS(
        string=(
            f'@font-face {{ font-family: "{charts.FONT_FAMILY}"; '
            f'src: url("{charts.font_file().resolve().as_uri()}"); }}'
        ),
        base_url=base,
        url_fetcher=fetch_resource,
        font_config=fonts,
    )
    stylesheet = weasyprint.CSS(
        url=base + STYLESHEET, base_url=base, url_fetcher=fetch_resource, font_config=fonts
    )
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetch_resource)
    return document.write_pdf(
        stylesheets=[font_face, stylesheet], font_config=fonts, attachments=[]
    )


def report_pdf(assessment: Assessment, *, lang: str, viewer: Any, prepared_by: str = "") -> bytes:
    """The report of the assessment in `lang` as made for `viewer` (`sealing.NO_PERSON`
    for `assess --pdf`), as the browser and the command line deliver it."""
    return render_pdf(report_html(assessment, lang=lang, viewer=viewer, prepared_by=prepared_by))
