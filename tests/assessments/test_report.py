"""The PDF recommendation report (SPEC 4.8): downloaded by whoever may see the assessment, in
Japanese or English, with every task's result and override in full; hostile text stays text and
fetches nothing; an empty or unchecked assessment says what is missing. The text is read back
with poppler's pdftotext, as a reader would copy it."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments.domain.inventory import Group
from assessments.models import Assessment, Package, Task
from assessments.reporting import case, charts, pdf, report
from assessments.web.report_views import attachment, safe_name
from tests.factories import OUTSOURCEABLE, make_package, make_task
from tests.helpers import needs_poppler, pdf_text, squeeze
from vendors.domain import scoring
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
    # The open questions are quoted, never given by their codes.
    assert squeeze("Not answered or “don't know”: “Does the task directly generate sales") in flat
    assert "C1,C2" not in flat
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
    assert "Conclusion and recommendation" in text
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


# --- the case it makes (SPEC 4.8 revised) ------------------------------------------------------


@pytest.fixture
def costed(checked, consultant) -> Assessment:
    """The checked assessment's packages; the BPO package quoted by two vendors and scored by
    Kenji: Mirai is dearer but better, and first on the combined score (quality 75 × 0.7 + price
    points 66.7 × 0.3); the ITO package has no vendor yet."""
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    for name, fee, score in (("Mirai Outsourcing", 30_000, 4), ("Sakura Business", 20_000, 3)):
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
    return checked


def english(assessment: Assessment, viewer=None) -> report.Report:
    with translation.override("en"):
        return report.build_report(assessment, viewer=viewer)


def test_the_conclusion_comes_first_and_ends_in_decisions(consultant_client, costed, tmp_path):
    bpo = costed.packages.get(model="bpo")
    outlook = selection.package_selection(bpo).outlook
    text = squeeze(pdf_text(download(consultant_client, costed, lang="en").content, tmp_path))
    start = text.index("Werecommendoutsourcing")
    conclusion = text[start : text.index("Thegoalsandhowtherecommendationservesthem", start)]
    saving = f"¥{outlook.horizon.saving.quantize(Decimal(1)):,}"
    assert squeeze("We recommend outsourcing 2 packages") in conclusion
    assert "MiraiOutsourcing" in conclusion and squeeze(saving) in conclusion
    assert squeeze("Vendor not yet selected") in conclusion  # the ITO package
    assert squeeze("Decisions to take now") in conclusion
    assert squeeze(f"Approve outsourcing “{bpo.document_name}” to Mirai Outsourcing") in conclusion
    assert squeeze("Authorise the vendor selection for") in conclusion
    # Its range and the chance of a saving, from the draws of the estimates.
    assert squeeze("Probability of a saving") in conclusion and "P10" in conclusion


def test_the_conclusion_is_one_page(consultant_client, costed, tmp_path):
    needs_poppler()
    path = tmp_path / "report.pdf"
    path.write_bytes(download(consultant_client, costed, lang="en").content)

    def page(number: int) -> str:
        command = ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"]
        return squeeze(subprocess.run(command, capture_output=True, text=True).stdout)

    # Cover, contents, then the conclusion: from its heading to its last decision on one page,
    # and the goals on the next.
    assert "Conclusionandrecommendation" in page(3) and "Decisionstotakenow" in page(3)
    assert "Agreethesequence" in page(3)
    assert "Thegoalsandhowtherecommendationservesthem" in page(4)
    assert "Decisionstotakenow" not in page(4)


def test_each_package_shows_its_cost_over_the_horizon_and_the_ranking(costed):
    content = english(costed)
    entry = next(e for e in content.packages if e.package.model == "bpo")
    expected = selection.package_selection(entry.package)
    assert entry.economics.vendor == "Mirai Outsourcing"
    assert entry.horizon == expected.outlook.horizon
    assert entry.economics.range == expected.outlook.range
    assert 'data-chart="cost-' in str(entry.economics.chart)
    assert [row.vendor.combined for row in entry.ranking] == [
        row.combined for row in expected.ranking
    ]
    assert content.conclusion.saving == expected.outlook.horizon.saving
    assert content.conclusion.start_up == expected.outlook.horizon.start_up
    assert entry.economics.flip  # the sensitivity in a sentence


def test_a_quote_given_for_another_scope_is_marked(consultant_client, costed, tmp_path):
    bpo = costed.packages.get(model="bpo")
    Bid.objects.filter(package=bpo).update(scope_stamp=Package.scope_of(bpo.pk))
    costed.tasks.filter(task="Helpdesk").update(package=bpo)  # the scope changes
    text = squeeze(pdf_text(download(consultant_client, costed, lang="en").content, tmp_path))
    assert squeeze("Scope changed since the quote") in text


def test_the_cover_and_the_overrides_name_people_in_full(consultant, japanese):
    consultant.first_name, consultant.last_name = "Kenji", "Sato"
    consultant.save()
    html = pdf.report_html(japanese, lang="en", viewer=consultant, prepared_by="Kenji Sato")
    assert "<dd data-author>Kenji Sato</dd>" in html
    assert squeeze("By Kenji Sato on") in squeeze(html)  # the override's author


def test_the_download_names_the_author_by_full_name_else_the_user_name(
    consultant, consultant_client, assessment, tmp_path
):
    assert "Preparedbykenji" in squeeze(
        pdf_text(download(consultant_client, assessment, lang="en").content, tmp_path)
    )
    consultant.first_name, consultant.last_name = "Kenji", "Sato"
    consultant.save()
    text = squeeze(pdf_text(download(consultant_client, assessment, lang="en").content, tmp_path))
    assert "PreparedbyKenjiSato" in text


def test_the_goals_of_step_1_are_set_against_the_recommendation(consultant, costed, tmp_path):
    from assessments.models.steps import Goals

    Goals.record(
        costed,
        {
            "cost_rank": 2,
            "cost_note": "Cut indirect cost by 10% in three years",
            "depersonalisation_rank": 1,
            "speed_rank": 3,
            "quality_rank": 4,
            "process_improvement": True,
            "process_improvement_note": "RPA tried: too many exceptions",
        },
        consultant,
    )
    content = english(costed)
    assert content.goals_ranked
    assert [line.goal for line in content.goal_lines] == [
        "depersonalisation",
        "cost",
        "speed",
        "quality",
    ]
    cost = content.goal_lines[1]
    assert cost.status == "partly"  # one of the two packages has a vendor
    assert "over 3 years" in cost.words and "¥" in cost.words
    speed = content.goal_lines[2]
    assert speed.status == "served" and "hours a year" in speed.words
    html = pdf.report_html(costed, lang="en", viewer=None)
    assert "Cut indirect cost by 10% in three years" in html
    assert "RPA tried: too many exceptions" in html


def test_without_goals_the_four_usual_ones_are_shown_unranked(costed):
    content = english(costed)
    assert not content.goals_ranked
    assert {line.goal for line in content.goal_lines} == {
        "cost",
        "quality",
        "speed",
        "depersonalisation",
    }
    assert all(line.rank is None for line in content.goal_lines)


def test_the_indirect_ratio_now_and_after_releasing_the_outsourced_fte(staffing_package):
    staffed = staffing_package.assessment
    content = english(staffed)
    outsourced = sum((e.selection.totals.fte for e in content.outsourcing_packages), Decimal(0))
    assert content.released_fte == outsourced > 0  # the dispatch package releases nobody
    assert content.indirect_now.ratio == Decimal(58) / 420
    assert content.indirect_after.ratio == (58 - outsourced) / 420
    html = squeeze(pdf.report_html(staffed, lang="en", viewer=None))
    assert 'data-figure="indirect-now">13.8%' in html


def test_reasons_are_given_in_words_never_in_codes(consultant_client, checked, tmp_path):
    text = squeeze(pdf_text(download(consultant_client, checked, lang="en").content, tmp_path))
    assert not re.search(r"C\d+[+−-]\d", text)  # no “C3 +5.6”
    assert squeeze("For outsourcing: “Can the steps be standardised") in text
    # The strategy task is core because of its first two answers, said in words.
    assert squeeze("It directly generates sales or profit and is a source of competitive") in text
    assert "C1andC2" not in text


def test_an_empty_package_is_left_out(checked):
    checked.create_packages()
    make_package(checked, "kpo", "KPO: nothing in it")
    content = english(checked)
    assert "KPO: nothing in it" not in [e.package.name for e in content.packages]
    assert not any("nothing in it" in step.title for step in content.next_steps)
    assert not any("nothing in it" in step.title for step in content.conclusion.decisions)
    assert "nothing in it" not in pdf.report_html(checked, lang="en", viewer=None)


def test_the_roadmap_gives_each_package_its_months(costed, tmp_path):
    content = english(costed)
    names = [lane.plan.name for lane in content.roadmap.lanes]
    assert sorted(names) == sorted(e.package.document_name for e in content.packages)
    html = pdf.report_html(costed, lang="en", viewer=None)
    assert 'data-chart="roadmap"' in html and "from month" in html
    assert "Transition roadmap" in html


def test_user_text_in_the_new_sections_is_escaped(consultant, costed):
    from assessments.models.steps import Goals

    Goals.record(
        costed,
        {"cost_rank": 1, "cost_note": HOSTILE_NAME, "alternatives_note": "<script>x</script>"},
        consultant,
    )
    costed.packages.filter(model="ito").update(name='<b onload="x">ITO</b>')
    html = pdf.report_html(costed, lang="en", viewer=None)
    assert HOSTILE_NAME not in html and "<script>x" not in html
    assert "&lt;img src=&quot;http://example.com/x.png&quot;&gt;" in html
    assert '<b onload="x">' not in html
    # The roadmap chart draws the package's name as text.
    start = html.index('<svg class="chart" data-chart="roadmap"')
    svg = html[start : html.index("</svg>", start) + len("</svg>")]
    tree = ElementTree.fromstring(svg)
    assert not any(e.tag.endswith("b") for e in tree.iter())
    assert any('<b onload="x">' in (e.text or "") for e in tree.iter())


def test_a_sealed_package_shows_no_vendor_and_no_economics(manager, costed):
    """Hanako has not scored: the ranking and everything that follows from it stay out of her
    report, the conclusion included."""
    content = english(costed, viewer=manager)
    entry = next(e for e in content.packages if e.package.model == "bpo")
    assert entry.sealed and entry.economics is None
    line = next(line for line in content.conclusion.lines if line.entry is entry)
    assert line.vendor == "" and "scores" in line.missing
    assert content.conclusion.saving is None
    assert not any("Mirai" in step.title for step in content.conclusion.decisions)


WEIGHTS_NOW = {**dict.fromkeys(scoring.CRITERIA, Decimal(10)), "security": Decimal(20)}


@pytest.mark.parametrize(
    ("sensitivity", "words"),
    [
        pytest.param(
            scoring.Sensitivity(
                ("Mirai",),
                False,
                (),
                scoring.Flip("security", Decimal(-4), {"security": Decimal(16)}, ("Sakura",)),
            ),
            "If the weight of “Security” is lowered by 4 points (from 20 to 16, the other "
            "criteria rescaled), Sakura takes first place from Mirai.",
            id="a-criterion",
        ),
        pytest.param(
            scoring.Sensitivity(
                ("Mirai",),
                True,
                (),
                scoring.Flip("price", Decimal(12), {}, ("Sakura",), Decimal(42)),
            ),
            "The choice holds when any single weight moves by up to 10 points. If the price "
            "weight is raised from 30% to 42%, Sakura takes first place from Mirai.",
            id="the-price-weight-beyond-ten",
        ),
        pytest.param(
            scoring.Sensitivity(("Mirai",), True),
            "Moving any single weight, the price weight included, as far as it goes leaves "
            "Mirai first.",
            id="nothing-flips",
        ),
        pytest.param(scoring.Sensitivity((), None), "", id="no-winner"),
    ],
)
def test_the_sensitivity_names_the_smallest_change_in_words(sensitivity, words):
    """The page's sentence, in the report too (vendors/reporting/sensitivity.py)."""
    chosen = SimpleNamespace(sensitivity=sensitivity, weights=WEIGHTS_NOW, price_weight=Decimal(30))
    with translation.override("en"):
        assert case.flip_words(chosen) == words
