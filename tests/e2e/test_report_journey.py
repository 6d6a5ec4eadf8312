"""A consultant takes the demo organisation from step 1 to a downloaded report in a real browser:
ranks the goals, drafts the BPO package's RFP, works on the readiness checklist, records a KPI,
then downloads the PDF recommendation report and finds the tasks' names in its text."""

from __future__ import annotations

import pytest

from assessments.models.steps import Goals, Kpi, ReadinessEntry, RfpDraft
from tests.e2e.browser import DEMO_ORGANISATION, download_report_text

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def sign_in(page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "consultant")
    page.fill("#id_password", "demo-consultant-2026")
    page.locator("main form button").click()
    page.wait_for_url(base + "/")


def test_consultant_goes_from_goals_to_the_downloaded_report(page, live_server, demo, tmp_path):
    base = live_server.url
    sign_in(page, base)
    page.goto(f"{base}/assessments/{demo.pk}/")
    assert page.locator("ol.stepper li[data-step=goals]").get_attribute("data-state") != "done"

    # Step 1: the goals, ranked.
    page.goto(f"{base}/assessments/{demo.pk}/goals/")
    for goal, rank in (("cost", 1), ("depersonalisation", 2), ("quality", 3), ("speed", 4)):
        page.select_option(f"#id_{goal}_rank", str(rank))
    page.locator("#goals-form button.btn-primary").click()
    assert Goals.objects.get(assessment=demo).cost_rank == 1
    assert page.locator("ol.stepper li[data-step=goals]").get_attribute("data-state") == "done"

    # Step 3: the RFP of the BPO package, drafted from the inventory.
    bpo = demo.packages.get(model="bpo")
    page.goto(f"{base}/assessments/{demo.pk}/packages/")
    page.locator(f"a[href='/assessments/{demo.pk}/packages/{bpo.pk}/rfp/']").click()
    page.locator("form:has(input[value=generate]) button").click()
    assert page.locator("a[data-download=rfp]").is_visible()
    assert RfpDraft.objects.filter(package=bpo).exists()

    # Step 5: two readiness items done.
    page.goto(f"{base}/assessments/{demo.pk}/readiness/")
    statuses = page.locator("select[name^=status_]")
    for index in range(2):
        statuses.nth(index).select_option("done")
    page.locator("main form button.btn-primary").last.click()
    assert ReadinessEntry.objects.filter(assessment=demo, status="done").count() == 2

    # Step 6: a KPI.
    page.goto(f"{base}/assessments/{demo.pk}/operation/")
    page.fill("#id_kpi-name", "給与計算の期限遵守率")
    page.fill("#id_kpi-unit", "%")
    page.fill("#id_kpi-target", "99")
    page.locator("#kpi-form button.btn-primary").click()
    assert Kpi.objects.filter(assessment=demo).count() == 1

    # The report, in Japanese, from the overview.
    page.goto(f"{base}/assessments/{demo.pk}/")
    text = download_report_text(page, tmp_path)
    for task in demo.tasks.order_by("position").values_list("task", flat=True)[:5]:
        assert task in text, task
    assert DEMO_ORGANISATION in text
