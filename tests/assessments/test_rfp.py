"""The RFP draft as pure text: what each section says follows from the package's facts."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from assessments.domain import rfp

D = Decimal

PAYROLL = rfp.TaskLine("人事部", "給与計算", "勤怠データ集計", D("192.0"), 2, single_person=True)
INVOICES = rfp.TaskLine("経理部", "請求", "請求書発行", D("96.25"), 1)
BPO = rfp.PackageFacts(
    organisation="さくら商事",
    package="BPO: 人事部、経理部",
    model="bpo",
    model_label="BPO",
    tasks=(PAYROLL, INVOICES),
    annual_hours=D("288.25"),
    fte=D("0.1501"),
    annual_cost=D("864750.4"),
    confidentiality=frozenset({"internal"}),
    kept_in_house=("人事部 / 採用 / 面接",),
)


def drafted(facts: rfp.PackageFacts, language: str = "en") -> dict[str, str]:
    with translation.override(language):
        return rfp.draft(facts)


def test_every_section_is_written():
    sections = drafted(BPO)
    assert list(sections) == list(rfp.SECTION_KEYS)
    assert all(text.strip() for text in sections.values())


def test_current_state_gives_the_inventorys_figures_rounded_once():
    text = drafted(BPO)["current_state"]
    assert "2 tasks in 人事部, 経理部." in text
    assert "288.3 hours a year (0.15 full-time equivalents), done by 3 people" in text
    assert "¥864,750 a year" in text
    assert "1 task depends on a single person" in text


@pytest.mark.parametrize(
    ("people", "shown"),
    [
        pytest.param((D("2.00"), D("1.00")), "done by 3 people", id="stored-decimals"),
        pytest.param((D("0.50"), 2), "done by 2.5 people", id="half-a-person"),
        pytest.param((D("0.25"), D("0.25")), "done by 0.5 people", id="two-quarters"),
        pytest.param((None, D("1.5")), "done by 1.5 people", id="unknown-counts-nothing"),
        pytest.param((D(1200), D(300)), "done by 1,500 people", id="grouped"),
    ],
)
def test_current_state_counts_people_as_people_write_them(people, shown):
    pairs = zip((PAYROLL, INVOICES), people, strict=True)
    tasks = tuple(replace(task, people=n) for task, n in pairs)
    assert shown in drafted(replace(BPO, tasks=tasks))["current_state"]


def test_scope_lists_each_task_and_the_exclusions():
    text = drafted(BPO)["scope"]
    assert "- 人事部 / 給与計算 / 勤怠データ集計 (192.0 h a year)" in text
    assert "- 人事部 / 採用 / 面接" in text
    nothing_kept = drafted(replace(BPO, kept_in_house=()))["scope"]
    assert "- none named" in nothing_kept


@pytest.mark.parametrize(
    "levels, certification, personal_data_law",
    [
        (frozenset({"public", "internal"}), False, False),
        (frozenset({"internal", "confidential"}), True, False),
        (frozenset({"personal"}), True, True),
    ],
)
def test_security_requirements_follow_the_data(levels, certification, personal_data_law):
    text = drafted(replace(BPO, confidentiality=levels))["security"]
    assert ("ISMS (ISO/IEC 27001)" in text) is certification
    assert ("kept in Japan" in text) is certification
    assert ("Act on the Protection of Personal Information" in text) is personal_data_law
    assert "No re-subcontracting" in text  # whatever the data


@pytest.mark.parametrize(
    "model, parallel",
    [
        ("bpo", "A parallel run of 2 months"),
        ("ito", "A parallel run of 2 months"),
        ("kpo", "A parallel run of 1 month,"),
        ("subcontract", "A parallel run of 1 month,"),
        ("dispatch", None),
        ("crowdsourcing", None),
    ],
)
def test_the_parallel_run_depends_on_the_model(model, parallel):
    text = drafted(replace(BPO, model=model))["transition"]
    if parallel:
        assert parallel in text
    else:
        assert "parallel run" not in text


@pytest.mark.parametrize(
    "model, kpi",
    [
        ("bpo", "Deadlines met: 99% or more"),
        ("ito", "Service availability"),
        ("kpo", "Rework after review"),
        ("dispatch", "Replacement within ten business days"),
        ("crowdsourcing", "Acceptance rate"),
        ("subcontract", "acceptance criteria"),
    ],
)
def test_kpi_proposals_suit_the_model(model, kpi):
    assert kpi in drafted(replace(BPO, model=model))["kpi_sla"]


def test_recorded_targets_and_goals_are_carried_over():
    facts = replace(BPO, goals=("Cost", "De-personalisation"), kpis=("Error rate ≤ 0.05%",))
    sections = drafted(facts)
    assert "most important first: Cost, De-personalisation." in sections["purpose"]
    assert sections["kpi_sla"].index("Error rate ≤ 0.05%") < sections["kpi_sla"].index("Deadlines")


def test_japanese_draft_uses_japanese_list_separators():
    facts = replace(BPO, goals=("コスト", "属人化の解消"))
    sections = drafted(facts, "ja")
    assert "人事部、経理部" in sections["current_state"]
    assert "コスト、属人化の解消" in sections["purpose"]


def test_an_empty_package_still_drafts():
    empty = replace(BPO, tasks=(), annual_hours=D(0), fte=D(0), annual_cost=D(0))
    sections = drafted(empty)
    assert "0 tasks in —." in sections["current_state"]
    assert sections["scope"].startswith("In scope:")


# --- the security section's personal-data duties (個人情報保護法, 番号法) -------------------

RECEPTION = rfp.TaskLine("総務部", "受付", "来客対応", D("120"), 1)
SHAROUSHI = rfp.TaskLine("人事部", "手続", "入退社の届出", D("40"), 1, licensed_work="sharoushi")
DUTIES = ("第25条", "第26条", "個人情報保護委員会", "第28条")


@pytest.mark.parametrize(
    ("levels", "tasks", "duties", "my_number"),
    [
        pytest.param(frozenset({"internal"}), (RECEPTION,), False, False, id="no-personal-data"),
        pytest.param(
            frozenset({"confidential"}), (INVOICES,), False, False, id="confidential-only"
        ),
        pytest.param(frozenset({"personal"}), (RECEPTION,), True, False, id="personal-data"),
        pytest.param(frozenset({"personal"}), (PAYROLL,), True, True, id="payroll-by-name"),
        pytest.param(frozenset({"personal"}), (SHAROUSHI,), True, True, id="sharoushi-work"),
        pytest.param(frozenset({"internal"}), (PAYROLL,), False, False, id="payroll-no-personal"),
    ],
)
def test_the_security_section_states_only_the_duties_that_apply(levels, tasks, duties, my_number):
    facts = replace(BPO, confidentiality=levels, tasks=tasks)
    for language in ("en", "ja"):
        text = drafted(facts, language)["security"]
        assert all((duty in text) is duties for duty in DUTIES), (language, text)
        assert ("番号法第10条" in text) is my_number
        assert ("番号法第11条" in text) is my_number
    assert rfp.handles_my_number(facts) is my_number


def test_without_personal_data_the_section_is_shorter():
    personal = drafted(replace(BPO, confidentiality=frozenset({"personal"})))["security"]
    internal = drafted(replace(BPO, confidentiality=frozenset({"internal"})))["security"]
    assert len(internal.splitlines()) < len(personal.splitlines())
    assert "Breach reporting" in personal and "Transfer abroad" in personal
    assert "Supervision of the vendor" in personal


@pytest.mark.parametrize(
    "name",
    [
        "給与計算",
        "賞与計算",
        "年末調整",
        "社会保険の手続",
        "Monthly payroll",
        "Social insurance filings",
    ],
)
def test_payroll_and_social_insurance_words_bring_my_number_in_scope(name):
    task = rfp.TaskLine("人事部", "", name, D("10"), 1)
    facts = replace(BPO, confidentiality=frozenset({"personal"}), tasks=(task,))
    assert rfp.handles_my_number(facts)
