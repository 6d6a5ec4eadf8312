"""The main journey in a real browser, every step through the pages, by two people of one
organisation:

1. Hanako (manager, Japanese) signs in, creates an assessment and imports the sample inventory.
2. She opens the guided check (the task the file left without a verdict), answers the ten
   questions and saves; the page shows the verdict, the model, the deciding rule and the answers
   that moved the score, with their points, and the warnings.
3. Kenji (consultant) signs in, in his own browser, and overrides that task's model with a
   justification.
4. He creates the packages from the recommendations; the task is in the package of his model.
5. He invites a vendor of the registry to that package, scores it on the eight criteria and
   submits; the ranking shows the vendor first with its total.
6. Hanako downloads the PDF report from the overview; it names the organisation, the task and
   the justification.

Every expectation is computed here with the pure functions (files.reading.read,
inventory.derive, classification.assess_task, scoring.evaluator_total), never hard-coded. Set
E2E_SCREENSHOTS=/some/folder to keep screenshots of the check, packages and ranking pages."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from assessments.domain import choices, inventory
from assessments.domain import classification as cl
from assessments.domain.choices import Outcome, VendorCriterion, Verdict
from assessments.files.reading import read
from assessments.models import Assessment, Task
from outsourcing_advisor.accounts.models import Organisation, Role
from tests.e2e.browser import TIMEOUT_MS, VIEWPORT, download_report_text, save_screenshot
from tests.factories import PASSWORD, make_member
from tests.helpers import restore_published_defaults
from vendors.domain import scoring
from vendors.models import Certification, Vendor
from vendors.services import selection

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "inventory_sample_ja.csv"
ORGANISATION = "株式会社ひまわり商事"
ASSESSMENT = "2026年度 管理部門の業務棚卸し"
VENDOR = "株式会社ナレッジパートナーズ"

# Hanako's answers to the ten questions: every one given, so none is left to the file or the
# pre-fill; chosen so that the task goes to a vendor (asserted below, not assumed).
ANSWERS = {
    "C1": "no",
    "C2": "no",
    "C3": "partly",
    "C4": "no",
    "C5": "no",
    "C6": "yes",
    "C7": "partly",
    "C8": "no",
    "C9": "yes",
    "C10": "yes",
}
OVERRIDE = "kpo"
JUSTIFICATION = "各部門の数値を読み解き論点を整理する専門的な作業のため、KPOとして委託する。"
SCORES = {
    "track_record": 5,
    "team": 4,
    "security": 5,
    "sla_quality": 4,
    "improvement": 3,
    "bcp": 4,
    "cost_breakdown": 3,
    "contract_terms": 4,
}


@pytest.fixture
def organisation(transactional_db) -> Organisation:
    """An organisation with a manager and a consultant who prefer Japanese, and no assessment;
    the registry holds a KPO vendor with a valid ISMS (the registry is the site's setup data)."""
    restore_published_defaults()
    organisation = Organisation.objects.create(name=ORGANISATION)
    for username, role in (("hanako", Role.MANAGER), ("kenji", Role.CONSULTANT)):
        make_member(username, organisation, role, language="ja")
    vendor = Vendor.objects.create(name=VENDOR, services=["kpo", "bpo"])
    Certification.objects.create(
        vendor=vendor, kind="isms", expires_on=datetime.date.today() + datetime.timedelta(365)
    )
    return organisation


# --- what the pages must show ------------------------------------------------------------------


def org_settings(organisation: Organisation) -> inventory.OrgSettings:
    return inventory.OrgSettings(
        working_days=organisation.working_days,
        yearly_hours=organisation.yearly_hours,
        hourly_cost=Decimal(organisation.hourly_cost),
    )


def assess(
    row: dict,
    answers: dict[str, str],
    assessment: Assessment,
    org: inventory.OrgSettings,
    override: str | None = None,
) -> cl.Assessed:
    """A parsed row checked and recommended with the assessment's pinned versions."""
    attributes = {name: row.get(name) for name in cl.TASK_ATTRIBUTES}
    cost = row["hourly_cost"]
    derived = inventory.derive(
        inventory.Volume(
            frequency=row["frequency"],
            occurrences=row["occurrences"],
            minutes=row["minutes"],
            people=row["people"],
            hourly_cost=Decimal(cost) if cost is not None else None,
            people_able=row["people_able"],
        ),
        org,
    )
    return cl.assess_task(
        attributes,
        answers,
        assessment.checklist_version.as_domain(),
        assessment.rule_version.as_domain(),
        annual_hours=derived.annual_hours,
        annual_cost=derived.annual_cost,
        override=override,
    )


def file_answers(row: dict) -> dict[str, str]:
    """What the task answers after the import: the pre-fill, then the file's C1–C10."""
    attributes = {name: row.get(name) for name in cl.TASK_ATTRIBUTES}
    return {**cl.prefill(attributes), **row["answers"]}


def one_decimal(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP):,.1f}"


def exact_points(points: Decimal) -> str:
    """As the reasons table titles a contribution: to the hundredth, a true minus sign."""
    shown = f"{abs(points).quantize(Decimal('0.01'), ROUND_HALF_UP)}"
    return f"+{shown}" if points > 0 else f"−{shown}"


def label(kind, value: str) -> str:
    with translation.override("ja"):
        return choices.label(kind, value)


# --- people and steps --------------------------------------------------------------------------


@contextmanager
def own_browser(browser, name: str) -> Iterator[object]:
    """Another person's page in a new browser context (cookies of their own); a screenshot when
    the test fails while it is open."""
    context = browser.new_context(viewport=VIEWPORT, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    except BaseException:
        save_screenshot(page, f"test_main_journey_{name}")
        raise
    finally:
        context.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(base + "/")


def screenshot(page, name: str) -> None:
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, name, Path(folder))


# --- the journey -------------------------------------------------------------------------------


def test_main_journey_from_sign_in_to_the_report(
    page, browser, live_server, organisation, tmp_path
):
    from playwright.sync_api import expect

    base = live_server.url
    rows = read(SAMPLE.read_bytes(), SAMPLE.name).rows
    org = org_settings(organisation)
    # The report is downloaded directly below this many tasks (above, it is a background job).
    assert len(rows) <= settings.BACKGROUND_REPORT_TASKS

    # 1. Hanako signs in, creates the assessment and imports the sample on the import page.
    sign_in(page, base, "hanako")
    page.locator(f"a[href='/organisations/{organisation.pk}/assessments/new/']").click()
    page.fill("#id_name", ASSESSMENT)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r"/assessments/\d+/inventory/$"))
    assessment = Assessment.objects.get(organisation=organisation, name=ASSESSMENT)
    assert assessment.checklist_version and assessment.rule_version  # pinned when created
    page.locator(f"a.nav-link[href='/assessments/{assessment.pk}/import/']").click()
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.locator("button[name=upload]").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/import/\d+/preview/$"))
    page.locator("button[name=import]").click()
    page.wait_for_url(f"{base}/assessments/{assessment.pk}/")
    expect(page.locator("[data-figure=tasks]")).to_have_text(str(len(rows)))

    # 2. The check tab: the guided check starts at the task the file left without a verdict.
    before = [assess(row, file_answers(row), assessment, org) for row in rows]
    pending = [i for i, outcome in enumerate(before) if outcome.check.verdict == "incomplete"]
    assert pending, "the sample should leave a task without a verdict for Hanako to check"
    row = rows[pending[0]]
    task = Task.objects.get(assessment=assessment, task=row["task"], department=row["department"])
    page.locator(f"a.nav-link[href='/assessments/{assessment.pk}/check/']").click()
    checked = len(rows) - len(pending)
    expect(page.locator(".check-progress")).to_contain_text(f"{len(rows)} 件中 {checked} 件")
    page.get_by_role("link", name="ガイド付き判定").click()
    page.wait_for_url(f"{base}/assessments/{assessment.pk}/tasks/{task.pk}/check/")
    expect(page.get_by_role("heading", level=2, name=row["task"], exact=True)).to_be_visible()
    expect(page.locator("[data-result=verdict]")).to_have_text(label(Verdict, "incomplete"))

    for code, answer in ANSWERS.items():
        index = cl.ANSWERS.index(answer)  # Django numbers a radio group's inputs from 0
        page.locator(f"fieldset[data-code={code}] label[for=id_{code}_{index}]").click()
    page.get_by_role("button", name="保存", exact=True).click()

    expected = assess(row, ANSWERS, assessment, org)
    recommendation = expected.recommendation
    assert recommendation is not None and recommendation.model not in (OVERRIDE, "in_house")
    expect(page.locator("[data-result=verdict]")).to_have_text(
        label(Verdict, expected.check.verdict)
    )
    expect(page.locator("[data-result=model]")).to_have_text(label(Outcome, recommendation.model))
    suitability = one_decimal(expected.check.suitability)
    expect(page.locator("[data-result=suitability]")).to_have_text(suitability)
    if recommendation.runner_up:
        expect(page.locator("[data-result=runner-up]")).to_have_text(
            label(Outcome, recommendation.runner_up)
        )
    else:
        expect(page.locator("[data-result=runner-up]")).to_have_count(0)
    expect(page.locator("[data-result=pilot]")).to_have_count(int(recommendation.pilot))
    rule = assessment.rule_version.rules.get(code=recommendation.rule)
    reasons = page.locator("[data-result=reasons]")
    expect(reasons).to_contain_text(suitability)
    expect(reasons).to_contain_text(rule.explanation_ja)
    moved = [c for c in expected.check.contributions if c.points]
    # The starting point (50.0) is a row of its own, above the answers that moved the score.
    factors = page.locator("#task-result table tbody tr:not(:has([data-part=start]))")
    expect(factors).to_have_count(len(moved))
    for contribution in moved:
        factor = factors.filter(has=page.get_by_text(contribution.code, exact=True))
        expect(factor.locator("td").nth(1)).to_have_text(
            label(choices.CheckAnswer, contribution.answer)
        )
        # Shown to a tenth, rounded so the parts add up to the score shown (a part may be a
        # tenth off its own rounding); the exact points are the cell's title.
        expect(factor.locator("td").nth(2)).to_have_attribute(
            "title", exact_points(contribution.points)
        )
    warnings = page.locator("[data-warning]")
    expect(warnings).to_have_count(len(expected.warnings))
    for code in expected.warnings:
        expect(page.locator(f"[data-warning={code}]")).to_be_visible()
    screenshot(page, "main-journey-check")
    task.refresh_from_db()
    assert task.effective_answers() == ANSWERS

    with own_browser(browser, "kenji") as kenji:
        # 3. Kenji finds the task through the check tab and overrides its model.
        sign_in(kenji, base, "kenji")
        kenji.get_by_role("link", name=ASSESSMENT).click()
        kenji.locator(f"a.nav-link[href='/assessments/{assessment.pk}/check/']").click()
        kenji.locator(f"#grid-{task.pk} a").click()
        kenji.wait_for_url(f"{base}/assessments/{assessment.pk}/tasks/{task.pk}/check/")
        kenji.select_option("#id_override-model", OVERRIDE)
        kenji.fill("#id_override-justification", JUSTIFICATION)
        kenji.get_by_role("button", name="推奨を上書き").click()
        override = kenji.locator("[data-override]")
        expect(override).to_contain_text(label(Outcome, OVERRIDE))
        expect(override).to_contain_text(JUSTIFICATION)
        expect(override).to_contain_text("kenji")
        # The computed recommendation stays; the warnings follow the model that will be used.
        expect(kenji.locator("[data-result=model]")).to_have_text(
            label(Outcome, recommendation.model)
        )
        overridden = assess(row, ANSWERS, assessment, org, override=OVERRIDE)
        expect(kenji.locator("[data-warning]")).to_have_count(len(overridden.warnings))

        # 4. The packages, from the recommendations (and the override), by the page's button.
        # Each task's model, in the inventory's order: the override, else the recommendation.
        final = [
            (other["task"], outcome.recommendation.model if outcome.recommendation else None)
            for other, outcome in zip(rows, before, strict=True)
        ]
        final[pending[0]] = (row["task"], OVERRIDE)
        models = {model for _name, model in final if model and model != "in_house"}
        kenji.locator(f"a.nav-link[href='/assessments/{assessment.pk}/packages/']").click()
        cards = kenji.locator("section.card[id^=package-]")
        expect(cards).to_have_count(0)
        create = f"form[action='/assessments/{assessment.pk}/packages/create/'] button"
        kenji.locator(create).click()
        expect(cards).to_have_count(len(models))
        card = cards.filter(
            has=kenji.locator("span.badge").get_by_text(label(Outcome, OVERRIDE), exact=True)
        )
        expect(card).to_have_count(1)
        names = [name for name, model in final if model == OVERRIDE]
        assert row["task"] in names
        expect(card.locator("tbody td a")).to_have_text(names)
        expect(card.locator("[data-figure=tasks]")).to_have_text(str(len(names)))
        expect(card.locator("[data-sensitive]")).to_be_visible()  # the task's data is confidential
        screenshot(kenji, "main-journey-packages")

        # 5. He invites the registry's vendor to that package, scores it and submits.
        card.locator("a[href$='/vendors/']").click()
        kenji.wait_for_url(re.compile(r"/packages/\d+/vendors/$"))
        vendors_url = kenji.url
        kenji.select_option("#id_vendor", label=VENDOR)
        kenji.locator("form[action$='/invite/'] button").click()
        # Its quote: price weighs 30% of the combined score, so a vendor is ranked once quoted.
        kenji.locator(f"tr[data-vendor='{VENDOR}'] a[href$='/quote/']").click()
        kenji.select_option("#id_pricing_model", "subscription")
        kenji.fill("#id_monthly_fee", "100000")
        kenji.locator("main form button.btn-primary").click()
        kenji.wait_for_url(re.compile(r"/packages/\d+/vendors/"))
        kenji.locator(f"tr[data-vendor='{VENDOR}'] a[href$='/score/']").click()
        assert set(SCORES) == set(VendorCriterion.values)
        for criterion, value in SCORES.items():
            kenji.locator(f"label[for=id_score_{criterion}_{value - 1}]").click()
        kenji.fill("#id_comment_security", "ISMS認証あり。アクセス権限の管理も確認済み。")
        kenji.locator("button[name=action][value=submit]").click()
        expect(kenji.locator("[data-status=submitted]")).to_be_visible()
        kenji.locator(f"main a[href='{vendors_url.removeprefix(base)}']").first.click()
        kenji.wait_for_url(vendors_url)
        total = scoring.evaluator_total(SCORES, selection.weights_for(assessment))
        assert total is not None
        ranked = kenji.locator(f"[data-table=ranking] tr[data-vendor='{VENDOR}']")
        expect(ranked.locator("[data-figure=rank]")).to_have_text("1")
        expect(ranked.locator("[data-figure=total]")).to_have_text(one_decimal(total))
        screenshot(kenji, "main-journey-ranking")

    # 6. Hanako downloads the report, in Japanese, from the overview.
    page.locator(f"a.nav-link[href='/assessments/{assessment.pk}/']").click()
    page.wait_for_url(f"{base}/assessments/{assessment.pk}/")
    text = download_report_text(page, tmp_path)
    for expected_text in (ORGANISATION, row["task"], JUSTIFICATION, VENDOR):
        assert expected_text in text, expected_text
