"""Dispatch is not outsourcing (SPEC 4.4, 4.5). The front desk of Sakura Trading needs staff its
general-affairs manager directs day to day: dispatch. Hanako (manager) sees it counted apart from
the outsourcing candidates on the overview and in the report; Kenji (consultant) finds it in a
staffing package of its own and drafts a staffing request (派遣依頼書) for it instead of an RFP.
The staffing request's text is a pure function: its table tests come first."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.domain import inventory, rfp, staffing
from assessments.domain.classification import OUTSOURCED
from assessments.models import Assessment, Package
from assessments.models.steps import RfpDraft
from assessments.reporting import report
from assessments.reporting.progress import workflow_facts
from tests.helpers import needs_poppler, pdf_text, squeeze

D = Decimal

FRONT_DESK = staffing.StaffingTask(
    "総務部", "受付", "来客対応", D("1200.0"), category="総務・受付", expertise=3
)
FACTS = staffing.StaffingFacts(
    organisation="さくら商事",
    package="派遣: 総務部",
    tasks=(FRONT_DESK,),
    annual_hours=D("1200"),
    fte=D("0.625"),
    working_days=240,
    yearly_hours=1920,
)
# What only a service contract says: a staffing request never says it (偽装請負).
SERVICE_CONTRACT_WORDS_EN = ("take over the work", "the vendor runs the work", "proposal")
SERVICE_CONTRACT_WORDS_JA = ("業務の受託", "委託先が担", "受託")


def drafted(facts: staffing.StaffingFacts = FACTS, language: str = "en") -> dict[str, str]:
    with translation.override(language):
        return staffing.draft(facts)


# --- the staffing request's text ------------------------------------------------------------------


def test_every_section_of_the_staffing_request_is_written():
    sections = drafted()
    assert list(sections) == list(staffing.SECTION_KEYS)
    assert all(text.strip() for text in sections.values())


def test_the_staffing_request_says_what_dispatch_is_in_english():
    sections = drafted()
    assert "- 総務部 / 受付 / 来客対応 (1,200.0 h a year)" in sections["work"]
    assert "under the direction of the organisation's own supervisor" in sections["work"]
    assert "さくら商事, 総務部." in sections["workplace"]
    assert "(指揮命令者)" in sections["supervisor"] and "派遣先責任者" in sections["supervisor"]
    period = sections["period"]
    assert "three years at most" in period and "派遣法40条の2" in period
    assert "抵触日" in period and "派遣法26条4項" in period
    assert "1,200.0 hours a year (0.63 full-time equivalents)" in sections["headcount"]
    # 0.63 FTE does not fill a full-time post: one person for the hours, never "full time".
    assert (
        "Asked for: 1 person part time (about 1,200 hours a year, about 25 hours a week)."
        in sections["headcount"]
    )
    assert "full time" not in sections["headcount"]
    assert "- Field: 総務・受付." in sections["skills"]
    # The skill in words; the inventory's internal 1–5 score is not the agency's business.
    assert "- Level: practical experience in this kind of work." in sections["skills"]
    assert "of 5" not in sections["skills"]
    assert "240 working days a year, 8 hours a day" in sections["hours"]
    assert "about 25 hours a week on average" in sections["hours"]
    assert "hourly rate per person" in sections["rate"] and "1,200.0 hours" in sections["rate"]
    assert "労働者派遣事業 許可番号" in sections["rate"]
    assert "特定目的行為, 派遣法26条6項" in sections["selection"]
    assert "interview candidates" in sections["selection"]
    text = "\n".join(sections.values())
    assert not any(words in text for words in SERVICE_CONTRACT_WORDS_EN)


def test_the_staffing_request_in_japanese():
    sections = drafted(language="ja")
    text = "\n".join(sections.values())
    assert "派遣労働者" in sections["work"] and "指揮命令" in sections["work"]
    assert "指揮命令者" in sections["supervisor"]
    assert "3年" in sections["period"] and "抵触日" in sections["period"]
    assert "フルタイム" not in sections["headcount"]
    assert "5段階" not in sections["skills"] and "専門性" not in sections["skills"]
    assert "時間単価" in sections["rate"]
    assert "特定目的行為" in sections["selection"] and "派遣法26条6項" in sections["selection"]
    assert "事前面接" in sections["selection"]
    assert not any(words in text for words in SERVICE_CONTRACT_WORDS_JA)
    assert "three years" not in text  # translated, not the English msgid


@pytest.mark.parametrize(
    ("hours", "full_time", "part_hours"),
    [
        (D(0), 1, D(0)),  # no hours counted yet: one person full time, as before
        (D(280), 0, D(280)),  # 0.15 FTE: one person for 280 hours, never full time
        (D(1500), 0, D(1500)),  # 0.78 FTE: still part time
        (D(1536), 1, D(0)),  # 0.8 FTE: one full-time post
        (D(1920), 1, D(0)),
        (D(2500), 1, D(580)),  # 1.30 FTE: one full time and one for the 580 hours left
        (D(3700), 2, D(0)),  # 1.93 FTE: two full time
    ],
)
def test_the_staff_asked_for_follows_the_hours(hours, full_time, part_hours):
    facts = replace(FACTS, annual_hours=hours, fte=hours / 1920)
    staff = staffing.staff_asked(facts)
    assert (staff.full_time, staff.part_hours) == (full_time, part_hours)


# The reviewer's package: 280 hours a year of busy-season help in accounting, expertise 1.
BUSY_SEASON = staffing.StaffingTask(
    "経理部", "繁忙期支援", "繁忙期の伝票入力補助", D(280), expertise=1, seasonal=True
)


@pytest.mark.parametrize(
    ("seasonal", "asked", "hours_line"),
    [
        (
            True,
            "Asked for: 1 person in the busy periods (about 280 hours a year).",
            "one person works in the busy periods only",
        ),
        (
            False,
            "Asked for: 1 person part time (about 280 hours a year, about 6 hours a week).",
            "one person works about 6 hours a week on average",
        ),
    ],
)
def test_a_small_seasonal_package_asks_for_one_person_in_the_busy_periods(
    seasonal, asked, hours_line
):
    task = replace(BUSY_SEASON, seasonal=seasonal)
    facts = replace(FACTS, tasks=(task,), annual_hours=D(280), fte=D(280) / 1920)
    sections = drafted(facts)
    assert asked in sections["headcount"]
    assert ("the busy months are to be filled in" in sections["headcount"]) is seasonal
    assert hours_line in sections["hours"]
    assert "full time" not in sections["headcount"]
    assert sections["skills"].startswith(
        "- Level: no prior experience needed; the organisation explains the work.\n"
    )


@pytest.mark.parametrize(
    ("one_off", "sensitive", "day_labour", "confidentiality"),
    [
        (False, False, False, False),
        (True, False, True, False),
        (False, True, False, True),
    ],
)
def test_one_off_work_and_personal_data_add_their_lines(
    one_off, sensitive, day_labour, confidentiality
):
    facts = replace(FACTS, tasks=(replace(FRONT_DESK, one_off=one_off),), sensitive=sensitive)
    sections = drafted(facts)
    assert ("日雇派遣, 派遣法35条の4" in sections["period"]) is day_labour
    assert ("派遣法24条の4" in sections["work"]) is confidentiality


def test_a_calendar_without_working_days_reads_eight_hours_a_day():
    assert staffing.daily_hours(replace(FACTS, working_days=0)) == D(8)
    assert staffing.daily_hours(replace(FACTS, yearly_hours=1800, working_days=240)) == D("7.5")


# --- counted apart --------------------------------------------------------------------------------


def test_sourcing_counts_outsourcing_and_staffing_apart():
    def row(model: str, hours: str) -> inventory.Row:
        derived = inventory.Derived(
            None, D(hours), D(hours) / 1920, D(hours) * 3000, D(3000), False
        )
        return inventory.Row("D", "C", derived, model_key=model)

    rows = [row("bpo", "120"), row("ito", "80"), row("dispatch", "600"), row("in_house", "200")]
    sourcing = inventory.sourcing(rows, OUTSOURCED, {"dispatch"})
    assert (sourcing.outsourcing.tasks, sourcing.outsourcing.annual_hours) == (2, D(200))
    assert (sourcing.staffing.tasks, sourcing.staffing.annual_hours) == (1, D(600))
    assert sourcing.outsourcing.annual_cost == D(600_000)
    assert sourcing.outsourcing_share == 0.2 and sourcing.staffing_share == 0.6
    assert inventory.sourcing([], OUTSOURCED, {"dispatch"}).staffing_share == 0.0


def test_the_overview_shows_dispatch_apart_from_the_outsourcing_candidates(
    manager_client, staffed: Assessment
):
    response = manager_client.get(reverse("assessment_detail", args=[staffed.pk]))
    sourcing = response.context["sourcing"]
    # Payroll 120 h + invoices 60 h (BPO) + helpdesk 24 h (ITO); the front desk's 1,200 h apart.
    assert sourcing.outsourcing.annual_hours == D(204)
    assert sourcing.outsourcing.tasks == 3
    assert sourcing.staffing.annual_hours == D(1200) and sourcing.staffing.tasks == 1
    page = squeeze(response.content.decode())
    assert squeeze("External staffing (dispatch: people come in)") in page
    assert squeeze('data-figure="outsourcing-hours">204.0') in page
    assert squeeze('data-figure="staffing-hours">1,200.0') in page


def test_the_report_counts_dispatch_apart(consultant, staffing_package: Package):
    staffed = staffing_package.assessment
    with translation.override("en"):
        content = report.build_report(staffed, viewer=consultant)
    assert content.candidates.annual_hours == D(204) and content.candidates.tasks == 3
    assert content.staffing.annual_hours == D(1200) and content.staffing.tasks == 1
    assert content.candidate_share == pytest.approx(204 / 1404)
    assert [entry.package.model for entry in content.staffing_packages] == ["dispatch"]
    assert "dispatch" not in [entry.package.model for entry in content.outsourcing_packages]
    # The front desk holds personal data but its data does not leave: not a confidentiality risk.
    confidentiality = next(r for r in content.risks if r.code == "confidentiality")
    assert confidentiality.tasks == 1  # the invoices only
    steps = [step.title for step in content.next_steps]
    assert "Prepare the staffing request and invite dispatching companies" in steps


def test_the_report_pdf_has_a_line_and_a_section_for_staffing(
    consultant_client, staffing_package: Package, tmp_path
):
    needs_poppler()
    staffed = staffing_package.assessment
    url = reverse("report_pdf", args=[staffed.pk])
    english = squeeze(pdf_text(consultant_client.get(url, {"lang": "en"}).content, tmp_path))
    assert squeeze("3 tasks (204.0 h a year, 14.5% of the hours) can be outsourced") in english
    assert squeeze("1 task (1,200.0 h a year, 85.5% of the hours) calls for external") in english
    assert squeeze("External staffing (dispatch)") in english
    japanese = squeeze(pdf_text(consultant_client.get(url, {"lang": "ja"}).content, tmp_path))
    assert "外部人材の活用（派遣）" in japanese
    assert squeeze("3 件の作業（年間 204.0 時間、工数の 14.5%）を外部に委託できます") in japanese


# --- packages -------------------------------------------------------------------------------------


def test_dispatch_tasks_get_a_staffing_package_of_their_own(
    consultant_client, staffing_package: Package
):
    staffed = staffing_package.assessment
    assert staffing_package.is_staffing
    assert [t.task for t in staffing_package.tasks.all()] == ["Front desk"]
    assert not any(p.is_staffing for p in staffed.packages.exclude(pk=staffing_package.pk))
    page = consultant_client.get(reverse("packages", args=[staffed.pk])).content.decode()
    assert page.count("data-staffing") == 1
    assert "External staffing" in page
    rfp_link = reverse("package_rfp", args=[staffed.pk, staffing_package.pk])
    assert f'href="{rfp_link}">Staffing request</a>' in page


def test_a_staffing_package_is_never_merged_with_an_outsourcing_one(
    consultant_client, staffing_package: Package
):
    staffed = staffing_package.assessment
    bpo = staffed.packages.get(model="bpo")
    url = reverse("package_merge", args=[staffed.pk, bpo.pk])
    response = consultant_client.post(url, {"other": staffing_package.pk}, follow=True)
    assert "cannot be put together" in response.content.decode()
    assert Package.objects.filter(pk=staffing_package.pk).exists()
    assert staffing_package.tasks.count() == 1


def test_dispatch_tasks_are_never_moved_into_an_outsourcing_package(
    consultant_client, staffing_package: Package
):
    staffed = staffing_package.assessment
    bpo = staffed.packages.get(model="bpo")
    desk = staffing_package.tasks.get()
    url = reverse("package_tasks", args=[staffed.pk, staffing_package.pk])
    data = {"tasks": [desk.pk], "action": "move", "target": bpo.pk}
    response = consultant_client.post(url, data, follow=True)
    assert "cannot be put together" in response.content.decode()
    desk.refresh_from_db()
    assert desk.package_id == staffing_package.pk


# --- the staffing request on the RFP page ---------------------------------------------------------


def rfp_url(name: str, package: Package) -> str:
    return reverse(name, args=[package.assessment_id, package.pk])


def generate(client, package: Package, language: str = "en", **extra: str):
    data = {"action": "generate", "language": language, **extra}
    return client.post(rfp_url("package_rfp", package), data)


def test_kenji_drafts_a_staffing_request_instead_of_an_rfp(
    consultant_client, staffing_package: Package
):
    assert generate(consultant_client, staffing_package).status_code == 302
    draft = RfpDraft.objects.get(package=staffing_package)
    assert set(draft.sections) == set(staffing.SECTION_KEYS)
    assert "- General affairs / Reception / Front desk (1,200.0 h a year)" in draft.sections["work"]
    assert "Asked for: 1 person part time" in draft.sections["headcount"]
    # The front desk sees visitors' names: confidentiality, under the client's own rules.
    assert "派遣法24条の4" in draft.sections["work"]
    page = consultant_client.get(rfp_url("package_rfp", staffing_package)).content.decode()
    assert "Staffing request: " in page and "RFP draft:" not in page
    assert "Who directs the staff" in page and "Purpose and background" not in page
    sections = {**draft.sections, "rate": "¥2,400 an hour, please."}
    response = consultant_client.post(
        rfp_url("package_rfp", staffing_package), {"action": "save", **sections}, follow=True
    )
    assert "Staffing request saved." in response.content.decode()
    assert RfpDraft.objects.get(package=staffing_package).sections["rate"] == sections["rate"]


def test_the_staffing_request_pdf_in_both_languages(
    consultant_client, staffing_package: Package, tmp_path
):
    needs_poppler()
    generate(consultant_client, staffing_package, "en")
    response = consultant_client.get(rfp_url("package_rfp_pdf", staffing_package))
    assert 'filename="staffing-' in response["Content-Disposition"]
    english = squeeze(pdf_text(response.content, tmp_path))
    assert "Staffingrequest" in english and "Requestforproposal" not in english
    assert "Noselectionofindividuals" in english
    generate(consultant_client, staffing_package, "ja", replace="yes")
    response = consultant_client.get(rfp_url("package_rfp_pdf", staffing_package))
    japanese = squeeze(pdf_text(response.content, tmp_path))
    assert "派遣依頼書" in japanese and "提案依頼書" not in japanese
    assert "抵触日" in japanese and "特定目的行為" in japanese
    assert not any(words in japanese for words in SERVICE_CONTRACT_WORDS_JA)


def test_the_rfp_of_an_outsourcing_package_is_unchanged(consultant_client, staffing_package):
    bpo = staffing_package.assessment.packages.get(model="bpo")
    generate(consultant_client, bpo)
    draft = RfpDraft.objects.get(package=bpo)
    assert set(draft.sections) == set(rfp.SECTION_KEYS)
    assert "the vendor runs the work" in draft.sections["scope"]
    page = consultant_client.get(rfp_url("package_rfp", bpo)).content.decode()
    assert "RFP draft: " in page and "Staffing request" not in page


def test_an_rfp_drafted_for_a_dispatch_package_before_is_never_sent(
    consultant_client, staffing_package: Package
):
    """A draft made as an RFP (before staffing requests) says the vendor runs the work: the page
    asks for a new draft and the PDF is refused until then."""
    RfpDraft.objects.create(
        package=staffing_package,
        language="ja",
        sections={"purpose": "業務の受託について", "scope": "委託先が担います"},
        generated_at="2026-01-05T09:00:00+09:00",
    )
    page = consultant_client.get(rfp_url("package_rfp", staffing_package)).content.decode()
    assert "data-outdated" in page and "業務の受託" not in page
    assert workflow_facts(staffing_package.assessment).rfp_drafts == 0, "the stepper agrees"
    response = consultant_client.get(rfp_url("package_rfp_pdf", staffing_package), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "Generate the staffing request first." in response.content.decode()
    saved = consultant_client.post(
        rfp_url("package_rfp", staffing_package),
        {"action": "save", **dict.fromkeys(staffing.SECTION_KEYS, "x")},
        follow=True,
    )
    assert "nothing was saved" in saved.content.decode()
    assert (
        RfpDraft.objects.get(package=staffing_package).sections["purpose"] == "業務の受託について"
    )
    generate(consultant_client, staffing_package, replace="yes")
    assert set(RfpDraft.objects.get(package=staffing_package).sections) == set(
        staffing.SECTION_KEYS
    )
    assert workflow_facts(staffing_package.assessment).rfp_drafts == 1
