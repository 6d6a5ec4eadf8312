"""A manager answers the core/non-core check of a task in a real browser and sees its verdict,
model and reasons; then a consultant overrides the model with a justification.

The expected verdict and model are the SPEC's: an ongoing HR task whose keep-items are all "no"
and whose outsource-items are mostly "yes" is non-core and goes to BPO (rule 6)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.models import Task
from assessments.models.versions import RuleTableVersion
from tests.e2e.browser import PAYROLL_ANSWERS, save_screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_manager_answers_the_check_and_sees_verdict_model_and_reasons(page, live_server, payroll):
    base = live_server.url
    assessment = payroll.assessment
    sign_in(page, base, "hanako")
    page.goto(f"{base}/assessments/{assessment.pk}/")
    page.get_by_role("link", name="コア／ノンコア判定").click()
    assert "1 件中 0 件が判定済み" in page.locator(".check-progress").inner_text()
    page.get_by_role("link", name="ガイド付き判定").click()

    assert page.locator("[data-result=verdict]").inner_text() == "判定保留（回答不足）"
    assert page.locator("fieldset[data-code=C9] input[value=yes]").is_checked()
    for code, answer in PAYROLL_ANSWERS.items():
        label = f"label[for=id_{code}_{answer_index(answer)}]"
        page.locator(f"fieldset[data-code={code}] {label}").click()
    page.get_by_role("button", name="保存", exact=True).click()

    assert page.locator("[data-result=verdict]").inner_text() == "ノンコア"
    assert page.locator("[data-result=model]").inner_text() == "BPO"
    assert page.locator("[data-result=suitability]").inner_text() == "69.4"
    rule = RuleTableVersion.objects.get(pk=assessment.rule_version_id).rules.get(
        code=Task.objects.get(pk=payroll.pk).result.detail["rule"]
    )
    reasons = page.locator("[data-result=reasons]").inner_text()
    assert "69.4" in reasons and rule.explanation_ja in reasons
    assert page.locator("[data-warning=single_person_dependency]").is_visible()
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, "task-check", folder=Path(folder))

    page.locator("form[action='/accounts/logout/'] button").click()
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{assessment.pk}/tasks/{payroll.pk}/check/")
    page.select_option("#id_override-model", "dispatch")
    page.fill("#id_override-justification", "現場のリーダーが毎日指示するため。")
    page.get_by_role("button", name="推奨を上書き").click()
    assert "現場のリーダーが毎日指示するため。" in page.locator("[data-override]").inner_text()
    assert page.locator("[data-result=model]").inner_text() == "BPO"  # still shown beside it


def answer_index(answer: str) -> int:
    """Django numbers a radio group's inputs from 0 in the order of the choices."""
    return ["yes", "partly", "no", "unknown"].index(answer)
