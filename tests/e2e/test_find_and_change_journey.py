"""Hanako finds and changes many tasks at once in a real browser (issue 18): she searches her
inventory, narrows it with a filter (the table, its count and the address follow without a
reload), ticks three rows and sets their frequency together, moves one to the trash from its
row's menu and brings it back from the trash. On a phone the bar that changes the ticked rows
sits above the table and covers none of them.

The selectors are ids and data attributes, so the journey does not depend on translations."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.models import Task
from tests.e2e.browser import save_screenshot, sign_in
from tests.factories import make_task

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ROWS = "#task-rows tr[id^=task-]:not(.trashed-row)"


def screenshot(page, name: str) -> None:
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, name, Path(folder))


def shown(page) -> list[str]:
    return page.locator(f"{ROWS} td.task-name a").all_inner_texts()


def test_hanako_finds_ticks_changes_trashes_and_restores(page, live_server, payroll):
    base = live_server.url
    assessment = payroll.assessment
    for department, process, name, category in (
        ("人事部", "給与計算", "給与明細の配信", "hr"),
        ("人事部", "採用", "面接の日程調整", "hr"),
        ("人事部", "労務", "社内イベントの準備", "general_affairs"),
        ("経理部", "支払", "請求書の発行", "accounting"),
        ("総務部", "受付", "来客対応", "general_affairs"),
    ):
        make_task(
            assessment, department=department, process=process, task=name,
            category=category, frequency="monthly", minutes=Decimal(30),
        )  # fmt: skip
    assessment.recompute_results()
    page.set_viewport_size(LAPTOP)
    sign_in(page, base, "hanako")
    inventory = f"{base}/assessments/{assessment.pk}/inventory/"
    page.goto(inventory)
    page.evaluate("() => { window.notReloaded = true; }")
    assert len(shown(page)) == 6

    # A search, a moment after typing stops: the 人事部 tasks, the address saying so.
    page.fill("#filter-q", "人事")
    expect(page.locator(ROWS)).to_have_count(4)
    page.wait_for_url("**/inventory/?q=*")
    # A filter on top of it: the category, the count "3 of 6" with both conditions.
    page.select_option("#filter-category", "hr")
    expect(page.locator(ROWS)).to_have_count(3)
    page.wait_for_load_state("networkidle")
    assert set(shown(page)) == {"勤怠データ集計", "給与明細の配信", "面接の日程調整"}
    assert "category=hr" in page.url and "q=" in page.url
    assert page.locator("#inventory-count [data-active-filter]").count() == 2
    assert "3" in page.locator("#inventory-count [data-count]").inner_text()
    assert page.evaluate("() => window.notReloaded") is True
    screenshot(page, "find-and-change-filtered")

    # Three rows ticked: the bar shows and counts them.
    bar = page.locator("[data-bulk]")
    assert bar.is_hidden()
    for box in page.locator(f"{ROWS} [data-bulk-row]").all():
        box.check()
    assert bar.is_visible() and "3" in bar.locator("[data-bulk-count]").inner_text()
    page.select_option("#bulk-field", "frequency")
    assert page.locator("[data-bulk-value=frequency]").is_visible()
    assert page.locator("[data-bulk-value=department]").is_hidden()
    page.select_option("#bulk-value-frequency", "quarterly")
    screenshot(page, "find-and-change-ticked")
    bar.locator("button[name=action][value=set]").click()
    page.wait_for_selector("[data-notice=success]")
    ticked = Task.objects.filter(task__in=["勤怠データ集計", "給与明細の配信", "面接の日程調整"])
    assert {task.frequency for task in ticked} == {"quarterly"}
    assert Task.objects.get(task="社内イベントの準備").frequency == "monthly"
    assert page.evaluate("() => window.notReloaded") is True

    # One of them to the trash from its row's menu (a confirmation first).
    interviews = Task.objects.get(task="面接の日程調整")
    row = page.locator(f"#task-{interviews.pk}")
    row.locator(".row-actions button").click()
    page.locator(f"#task-{interviews.pk}.editing .dropdown-toggle").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#task-{interviews.pk} .dropdown-item.text-danger").click()
    page.wait_for_selector(f"#task-{interviews.pk}.trashed-row")
    assert not Task.objects.filter(pk=interviews.pk).exists()
    screenshot(page, "find-and-change-trashed-row")

    # Back from the trash page: restored, in the inventory again.
    page.goto(f"{base}/assessments/{assessment.pk}/trash/")
    restore = page.locator(f"#trashed-task-{interviews.pk} button")
    screenshot(page, "find-and-change-trash")
    restore.click()
    page.wait_for_selector(".alert-success")
    assert page.locator(f"#trashed-task-{interviews.pk}").count() == 0
    assert Task.objects.filter(pk=interviews.pk).exists()
    page.goto(inventory)
    assert "面接の日程調整" in shown(page)

    # On a phone the bar is fixed at the bottom, in view wherever the row ticked is (QA 14), and
    # the page leaves it room: scrolled to the end, the last row is above it.
    page.set_viewport_size(PHONE)
    page.goto(inventory + "?q=%E4%BA%BA%E4%BA%8B")
    page.locator(f"{ROWS} [data-bulk-row]").first.check()
    assert bar.is_visible()
    assert bar.evaluate("el => getComputedStyle(el).position") == "fixed"
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last_row = page.locator(f"{ROWS} [data-bulk-row]").last
    assert last_row.evaluate("el => el.getBoundingClientRect().bottom") <= bar.evaluate(
        "el => el.getBoundingClientRect().top"
    )
    screenshot(page, "find-and-change-phone")
