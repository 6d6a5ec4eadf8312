"""The PDF recommendation report (SPEC 4.8): downloaded by whoever may see the assessment, in
Japanese or English, with every task's result and override in full; hostile text stays text and
fetches nothing; an empty or unchecked assessment says what is missing. The text is read back
with poppler's pdftotext, as a reader would copy it."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments.domain.inventory import Group
from assessments.models import Assessment, Task
from assessments.reporting import charts, pdf, report
from assessments.web.report_views import attachment, safe_name
from tests.factories import OUTSOURCEABLE, make_task
from tests.helpers import needs_poppler, pdf_text, squeeze
from vendors.models import Bid, Certification, Evaluation, Vendor
from vendors.services import selection

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "samples" / "inventory_sample_ja.csv"
JUSTIFICATION = (
    "経理部長との合意により、月次決算の締め処理は当面社内に残す。\n"
    "理由: 決算早期化プロジェクトが進行中で、手順が毎月変わるため外部委託の前提が整っていない。"
    " Once the new closing calendar is stable (expected in Q3), revisit BPO with a pilot of the "
    "accounts-payable part only, and measure the error rate for three months before widening."
)
HOSTILE_NAME = '<img src="http://example.com/x.png">'
HOSTILE_NOTES = "file:///etc/passwd <script>alert(1)</script> 😀 Ω混在テキスト"
LONG_WORD = "Ｘ" + "A" * 120 + "B" * 79  # 200 characters, a task's longest name, no break


def download(client, assessment: Assessment, **params: str):
    return client.get(reverse("report_pdf", args=[assessment.pk]), params)


# --- downloading ---------------------------------------------------------------------------------


def test_a_viewer_downloads_the_report_as_an_attachment(viewer_client, assessment, tmp_path):
    response = download(viewer_client, assessment, lang="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="outsourcing-report-')
    assert "filename*=UTF-8''Back%20office%202026%20" in disposition
    text = pdf_text(response.content, tmp_path)
    assert "Outsourcing recommendation report" in text
    assert "Collect timesheets" in text and "Greet visitors" in text
    assert "Sakura Trading" in text


def test_an_outsider_gets_404(outsider_client, assessment):
    assert download(outsider_client, assessment).status_code == 404


def test_the_report_follows_the_users_language_unless_asked(
    consultant_client, assessment, tmp_path
):
    english = pdf_text(download(consultant_client, assessment).content, tmp_path)
    assert "Hours and cost by department" in english  # the consultant's profile says English
    japanese = pdf_text(download(consultant_client, assessment, lang="ja").content, tmp_path)
    assert "部署別の工数とコスト" in japanese
    assert "Hours and cost by department" not in japanese
    # Anything else than ja or en: the user's language.
    other = pdf_text(download(consultant_client, assessment, lang="fr").content, tmp_path)
    assert "Hours and cost by department" in other


def test_the_file_name_is_ascii_with_the_real_name_beside_it(assessment):
    assessment.name = '2026年度 "外部委託"/検討\r\n; a'
    header = attachment(assessment, "ja")
    fallback, encoded = header.split("; filename*=")
    assert fallback.isascii() and "\r" not in header and "\n" not in header
    assert encoded.startswith("UTF-8''") and encoded.isascii()
    assert ";" not in encoded and '"' not in encoded and "/" not in encoded
    assert safe_name(assessment.name) == "2026年度 外部委託 検討 a"


# --- content ---------------------------------------------------------------------------------


@pytest.fixture
def japanese(company_a, consultant) -> Assessment:
    """Japanese tasks, one overridden with a long justification on two lines."""
    assessment = Assessment.objects.start(organisation=company_a, name="2026年度 外部委託検討")
    rows = [
        ("経理部", "月次決算", "月次決算の締め処理", "accounting", "internal"),
        ("人事部", "給与計算", "勤怠データ集計", "hr", "personal"),
    ]
    for position, (department, process, name, category, confidentiality) in enumerate(rows):
        make_task(
            assessment,
            position=position,
            department=department,
            process=process,
            task=name,
            category=category,
            confidentiality=confidentiality,
            minutes=Decimal(240),
            **OUTSOURCEABLE,
        )
    assessment.recompute_results()
    task = assessment.tasks.get(task="月次決算の締め処理")
    task.set_override("in_house", JUSTIFICATION, consultant)
    assessment.recompute_results([task])
    return assessment


def test_the_japanese_report_holds_every_task_and_the_override_in_full(
    consultant_client, japanese, tmp_path
):
    text = pdf_text(download(consultant_client, japanese, lang="ja").content, tmp_path)
    assert "月次決算の締め処理" in text and "勤怠データ集計" in text
    flat = squeeze(text)
    # A Japanese sentence of the product, translated: the quadrant's reading.
    assert squeeze("ノンコアで標準化できる業務は委託へ。") in flat
    # The override's justification, whole (it wraps over several lines).
    assert squeeze(JUSTIFICATION) in flat
    assert "kenji" in text  # its author


def test_the_font_is_embedded_and_the_text_selectable(consultant_client, japanese, tmp_path):
    needs_poppler()
    path = tmp_path / "report.pdf"
    path.write_bytes(download(consultant_client, japanese, lang="ja").content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows, fonts
    assert all("IPAexGothic" in row[0] for row in rows), fonts
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts  # emb, sub, uni


def test_hostile_text_is_printed_as_text_and_fetches_nothing(
    consultant_client, assessment, tmp_path, monkeypatch
):
    Task.objects.filter(assessment=assessment, task="Collect timesheets").update(
        task=HOSTILE_NAME, notes=HOSTILE_NOTES, process=LONG_WORD
    )
    Task.objects.filter(assessment=assessment, task="Greet visitors").update(
        department="<script>alert('x')</script>", notes="[a](javascript:alert(1)) &amp; &lt;"
    )
    fetched: list[str] = []
    real = pdf.fetch_resource

    def recording(url: str, *args, **kwargs):
        fetched.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(pdf, "fetch_resource", recording)
    response = download(consultant_client, assessment, lang="en")
    assert response.status_code == 200
    # Only our stylesheet and our font were asked for.
    font, static = charts.font_file().resolve().as_uri(), pdf.static_root().resolve().as_uri()
    assert fetched and all(url == font or url.startswith(static + "/") for url in fetched), fetched
    flat = squeeze(pdf_text(response.content, tmp_path))
    for text in (HOSTILE_NAME, "file:///etc/passwd<script>alert(1)</script>", LONG_WORD):
        assert squeeze(text) in flat
    assert squeeze("<script>alert('x')</script>") in flat
    assert "&amp;&lt;" in flat  # printed as typed, not decoded


def test_a_long_word_wraps_inside_the_page(consultant_client, assessment, tmp_path):
    needs_poppler()
    Task.objects.filter(assessment=assessment, task="Collect timesheets").update(
        task=LONG_WORD, notes=LONG_WORD
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(download(consultant_client, assessment, lang="en").content)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) <= width


def test_an_empty_assessment_says_what_to_do_first(consultant_client, company_a, tmp_path):
    empty = Assessment.objects.start(organisation=company_a, name="Nothing yet")
    response = download(consultant_client, empty, lang="en")
    assert response.status_code == 200
    flat = squeeze(pdf_text(response.content, tmp_path))
    assert squeeze("The work inventory of this assessment is empty") in flat
    assert squeeze("Take the work inventory") in flat
    assert squeeze("The pre-introduction readiness checklist has not been started") in flat


def test_an_unchecked_assessment_says_which_answers_are_missing(
    consultant_client, assessment, tmp_path
):
    """The conftest's two tasks have no answers: both are incomplete."""
    assert {t.verdict for t in assessment.tasks.select_related("result")} == {"incomplete"}
    flat = squeeze(pdf_text(download(consultant_client, assessment, lang="en").content, tmp_path))
    assert squeeze("Finish the core/non-core check") in flat
    assert squeeze("2 tasks have no verdict yet") in flat
    assert squeeze("Not answered or “don't know”: C1, C2") in flat
    assert squeeze("No task is recommended for an outside provider yet.") in flat


# --- the fetcher -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/style.css",
        "ftp://example.com/font.ttf",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "file:///etc/passwd",
        "file://example.com/share/file.css",
        "/etc/passwd",
        "css/report.css",  # relative: never resolved by us
    ],
)
def test_the_fetcher_refuses_anything_but_our_files(url):
    with pytest.raises(pdf.RefusedResource):
        pdf.fetch_resource(url)


def test_the_fetcher_refuses_a_way_out_of_the_static_folder(tmp_path, monkeypatch):
    static = pdf.static_root().resolve()
    with pytest.raises(pdf.RefusedResource):
        pdf.fetch_resource((static / ".." / "manage.py").as_uri())
    with pytest.raises(pdf.RefusedResource):
        pdf.fetch_resource(static.as_uri() + "/../outsourcing_advisor/settings.py")
    # A symbolic link inside the folder to a file outside it.
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "report.css").write_text("@page {}")
    (tmp_path / "css" / "secret.css").symlink_to(ROOT / "manage.py")
    monkeypatch.setattr(pdf, "static_root", lambda: tmp_path)
    assert pdf.fetch_resource((tmp_path / "css" / "report.css").as_uri())["string"] == b"@page {}"
    with pytest.raises(pdf.RefusedResource):
        pdf.fetch_resource((tmp_path / "css" / "secret.css").as_uri())


def test_the_fetcher_serves_our_stylesheet_and_font():
    css = pdf.fetch_resource((pdf.static_root() / "css" / "report.css").resolve().as_uri())
    assert b"@page" in css["string"] and css["mime_type"] == "text/css"
    font = pdf.fetch_resource(charts.font_file().resolve().as_uri())
    assert len(font["string"]) > 1_000_000


# --- charts ----------------------------------------------------------------------------------


def test_a_chart_escapes_names_and_keeps_text_as_text():
    groups = [
        Group("<script>alert(1)</script>", 1, 100.0, 0.05, 300000.0, 0.6),
        Group('人事部 " onload="x', 1, 50.0, 0.03, 150000.0, 0.3),
        Group("$x^2$ & co", 1, 20.0, 0.01, 60000.0, 0.1),
    ]
    svg = str(charts.hours_chart(groups, key="department"))
    assert svg.startswith("<svg ") and "<?xml" not in svg
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    # Well-formed, and the names are text (and an attribute value), never elements or attributes.
    tree = ElementTree.fromstring(svg)
    elements = list(tree.iter())
    assert not any(e.tag.endswith("script") for e in elements)
    assert not any("onload" in name for e in elements for name in e.attrib)
    texts = [e.text for e in elements if e.text]
    assert "<script>alert(1)</script>" in texts and '人事部 " onload="x' in texts
    assert tree.attrib["aria-label"].startswith("<script>alert(1)</script> 100 h")
    assert "$x^2$ &amp; co" in svg  # no TeX
    assert "IPAexGothic" in svg  # text drawn in the Japanese font, not as paths


def test_no_hours_no_chart():
    assert charts.hours_chart([], key="model") == ""
    assert charts.hours_chart([Group("HR", 1, 0.0, 0.0, 0.0, 0.0)], key="model") == ""


def test_the_overview_shows_the_charts_and_the_download(manager_client, assessment):
    response = manager_client.get(reverse("assessment_detail", args=[assessment.pk]))
    page = response.content.decode()
    assert 'data-chart="department"' in page
    assert reverse("report_pdf", args=[assessment.pk]) + "?lang=ja" in page


# --- the content builder ---------------------------------------------------------------------


def queries_for(assessment: Assessment) -> int:
    with CaptureQueriesContext(connection) as captured:
        report.build_report(assessment, viewer=None)
    return len(captured)


def test_the_report_reads_a_fixed_number_of_queries(checked):
    checked.create_packages()
    few = queries_for(checked)
    for number in range(20):
        make_task(
            checked,
            position=10 + number,
            department=f"Dept {number}",
            process="Invoices",
            task=f"Invoice batch {number}",
            category="accounting",
            minutes=Decimal(60),
            **OUTSOURCEABLE,
        )
    checked.recompute_results()
    checked.create_packages()
    assert queries_for(checked) == few


def test_the_packages_are_costed_and_ranked_as_on_the_selection_page(checked, consultant):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    for name, fee, score in (("Mirai", 300_000, 4), ("Sakura", 200_000, 3)):
        vendor = Vendor.objects.create(name=name, services=["bpo"])
        Certification.objects.create(vendor=vendor, kind="pmark")
        bid = Bid.objects.create(
            package=bpo, vendor=vendor, pricing_model="subscription", monthly_fee=fee
        )
        Evaluation.objects.create(
            bid=bid,
            evaluator=consultant,
            scores=dict.fromkeys(selection.weights_for(checked), score),
            submitted_at=timezone.now(),
        )
    with translation.override("en"):
        content = report.build_report(checked, viewer=None)
    entry = next(e for e in content.packages if e.package.pk == bpo.pk)
    expected = selection.package_selection(bpo)
    assert entry.selection.ranking == expected.ranking
    assert entry.selection.sensitivity == expected.sensitivity
    assert [line.comparison for line in entry.selection.lines] == [
        line.comparison for line in expected.lines
    ]
    assert entry.chosen.vendor.name == "Mirai"
    assert (
        content.expected_saving
        == entry.saving
        == expected.line_for("Mirai").comparison.annual_saving
    )


# --- the command line ------------------------------------------------------------------------


def test_assess_writes_the_same_report(tmp_path):
    out = tmp_path / "report.pdf"
    call_command("assess", str(SAMPLE), "--org", "CLI", "--lang", "en", "--pdf", str(out))
    content = out.read_bytes()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content, tmp_path)
    assert "Outsourcing recommendation report" in text
    assert "Executive summary" in text
    assert not list(tmp_path.glob(".report.pdf.*"))  # no temporary file left behind
    # Without --vendors the packages are still made, so the report compares their costs.
    assessment = Assessment.objects.get(organisation__name="CLI")
    assert assessment.packages.filter(model="bpo").exists()
    # Documents print the package's name in full, never the card's “…”.
    bpo = assessment.packages.get(model="bpo")
    with translation.override("en"):  # the report's language
        assert squeeze(bpo.document_name) in squeeze(text)
    assert "…" not in bpo.document_name


def test_assess_refuses_one_file_for_two_outputs(tmp_path):
    from django.core.management import CommandError

    out = tmp_path / "out.pdf"
    with pytest.raises(CommandError, match="--pdf"):
        call_command("assess", str(SAMPLE), "--csv", str(out), "--pdf", str(out))
    assert not out.exists()


# --- readiness -------------------------------------------------------------------------------


def test_the_readiness_checklist_shows_its_items_once_started(
    consultant, consultant_client, assessment, tmp_path
):
    from assessments.models.steps import ReadinessEntry, ReadinessStatus, ReadinessValues

    assert report.readiness_status(assessment) is None  # pinned, but nothing entered yet
    version = assessment.readiness_version
    first, second, third = list(version.items.all())[:3]
    ReadinessEntry.record(
        assessment,
        version,
        {
            first.pk: ReadinessValues("Tanaka", ReadinessStatus.DONE, "契約書の雛形を確認済み"),
            second.pk: ReadinessValues("", ReadinessStatus.NOT_APPLICABLE, ""),
            third.pk: ReadinessValues("Sato", ReadinessStatus.IN_PROGRESS, ""),
        },
        consultant,
    )
    status = report.readiness_status(assessment)
    items = version.items.count()
    assert (status.done, status.total, len(status.items)) == (1, items - 1, items)
    flat = squeeze(pdf_text(download(consultant_client, assessment, lang="en").content, tmp_path))
    assert squeeze(f"1 of {items - 1} items done") in flat
    assert "契約書の雛形を確認済み" in flat and "Tanaka" in flat
    assert squeeze(f"{items - 2} items of the readiness checklist are still open") in flat
