"""A manager's journey in a real browser: sign in, import the sample inventory, read the totals,
edit a row in place, sign out; and a bad file that is refused with row-level messages.

The expected figures are computed here with the pure functions (files.reading.read,
inventory.derive), never hard-coded. Set E2E_SCREENSHOTS=/some/folder to keep screenshots of the
overview and inventory pages."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.utils import translation

from assessments.domain import inventory
from assessments.files.reading import read
from assessments.models import Assessment, Task
from outsourcing_advisor.accounts.models import Organisation, Role
from tests.e2e.browser import save_screenshot
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "inventory_sample_ja.csv"
HOURS = "[data-figure=annual-hours]"
TASKS = "[data-figure=tasks]"


@pytest.fixture
def empty_assessment(transactional_db) -> Assessment:
    """An empty assessment of company A, whose manager prefers Japanese."""
    organisation = Organisation.objects.create(
        name="Sakura Trading", employee_count=420, indirect_headcount=58
    )
    user = make_member("hanako", organisation, Role.MANAGER, language="ja")
    return Assessment.objects.create(
        organisation=organisation, name="Back office 2026", created_by=user
    )


# --- the figures the pages must show ---------------------------------------------------------


def volume(row: dict) -> inventory.Volume:
    cost = row["hourly_cost"]
    return inventory.Volume(
        frequency=row["frequency"],
        occurrences=row["occurrences"],
        minutes=row["minutes"],
        people=row["people"],
        hourly_cost=Decimal(cost) if cost is not None else None,
        people_able=row["people_able"],
        days_per_year=row["days_per_year"],
        stated_hours=row["annual_hours"],
    )


def annual_hours(volumes: list[inventory.Volume], org: inventory.OrgSettings) -> Decimal:
    derived = (inventory.derive(v, org) for v in volumes)
    return sum((d.annual_hours for d in derived if d.annual_hours is not None), Decimal(0))


def shown_hours(value: Decimal) -> str:
    """As the totals strip shows hours: one decimal, half up, thousands separated."""
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP):,}"


def org_settings(organisation: Organisation) -> inventory.OrgSettings:
    return inventory.OrgSettings(
        working_days=organisation.working_days,
        yearly_hours=organisation.yearly_hours,
        hourly_cost=Decimal(organisation.hourly_cost),
    )


# --- steps -----------------------------------------------------------------------------------


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", "hanako")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def upload(page, base_url: str, assessment: Assessment, path: Path) -> None:
    """Upload the file: the preview (or the mapping step) follows; nothing is imported yet."""
    page.goto(f"{base_url}/assessments/{assessment.pk}/import/")
    page.set_input_files("input[type=file]", str(path))
    page.locator("button[name=upload]").click()
    page.wait_for_load_state()


def import_previewed(page) -> None:
    """On the preview: import."""
    page.locator("button[name=import]").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> None:
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        save_screenshot(page, name, Path(folder))


# --- tests -----------------------------------------------------------------------------------


def test_manager_signs_in_imports_a_sheet_and_sees_the_totals(page, live_server, empty_assessment):
    from playwright.sync_api import expect

    assessment = empty_assessment
    base = live_server.url
    org = org_settings(assessment.organisation)
    rows = read(SAMPLE.read_bytes(), SAMPLE.name).rows
    volumes = [volume(row) for row in rows]
    expected_hours = annual_hours(volumes, org)

    sign_in(page, base)
    upload(page, base, assessment, SAMPLE)
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/import/\d+/preview/$"))
    import_previewed(page)

    page.wait_for_url(f"{base}/assessments/{assessment.pk}/")
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.locator(TASKS)).to_have_text(str(len(rows)))
    expect(page.locator(HOURS)).to_have_text(shown_hours(expected_hours))
    screenshot(page, "overview")

    # The inventory tab: edit the first row's minutes in place and press Enter.
    page.locator(f"a.nav-link[href='/assessments/{assessment.pk}/inventory/']").click()
    page.wait_for_url(f"{base}/assessments/{assessment.pk}/inventory/")
    expect(page.locator(HOURS)).to_have_text(shown_hours(expected_hours))
    screenshot(page, "inventory")
    first = Task.objects.filter(assessment=assessment).order_by("position").first()
    assert first is not None and first.task == rows[0]["task"]
    new_minutes = rows[0]["minutes"] / 2
    volumes[0] = replace(volumes[0], minutes=new_minutes)
    edited_hours = annual_hours(volumes, org)
    assert shown_hours(edited_hours) != shown_hours(expected_hours)

    page.locator(f"#task-{first.pk} button[hx-get]").click()
    minutes = page.locator(f"#task-{first.pk}.editing input[name=minutes]")
    minutes.fill(str(new_minutes))
    minutes.press("Enter")

    expect(page.locator(f"#task-{first.pk}.editing")).to_have_count(0)
    expect(page.locator(HOURS)).to_have_text(shown_hours(edited_hours))
    expect(page.locator(TASKS)).to_have_text(str(len(rows)))
    first.refresh_from_db()
    assert first.minutes == new_minutes

    # Sign out: back to the sign-in page, and the assessment is no longer reachable.
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto(f"{base}/assessments/{assessment.pk}/")
    assert "/accounts/login/" in page.url


BAD_ROW = {"人数": "二人", "所要時間(分)": "abc"}


def write_bad_csv(path: Path) -> Path:
    """The sample's header and first row, with people "二人" and minutes "abc"."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as stream:
        header, first = list(csv.reader(stream))[:2]
    row = [BAD_ROW.get(name, value) for name, value in zip(header, first, strict=True)]
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, row])
    return path


def test_a_bad_file_is_refused_with_the_row_and_column_of_each_problem(
    page, live_server, empty_assessment, tmp_path
):
    from playwright.sync_api import expect

    assessment = empty_assessment
    bad = write_bad_csv(tmp_path / "bad.csv")
    with translation.override("ja"):
        reading = read(bad.read_bytes(), bad.name)
        expected = [str(problem) for problem in reading.problems]
    located = {(problem.row, problem.column) for problem in reading.problems}
    assert located == {(2, "I (人数)"), (2, "H (所要時間(分))")}

    sign_in(page, live_server.url)
    upload(page, live_server.url, assessment, bad)
    # Problems keep the file from the preview: the mapping step lists them.
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/import/\d+/$"))

    problems = page.locator("#problems")
    expect(problems).to_be_visible()
    expect(problems.locator("li")).to_have_text(expected)
    screenshot(page, "problems")
    for _row, column in located:
        expect(problems).to_contain_text(column)

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.locator(TASKS)).to_have_text("0")
    assert not Task.objects.filter(assessment=assessment).exists()


def test_a_large_sheet_is_imported_in_the_background_and_the_bar_fills_in_place(
    page, live_server, empty_assessment, settings
):
    """Over BACKGROUND_IMPORT_ROWS rows, the upload leads to a progress page that polls itself:
    waiting while no worker runs, then, once the worker has run the job, the outcome, without
    the page being reloaded."""
    from playwright.sync_api import expect

    from tests.jobs import work_off

    settings.BACKGROUND_IMPORT_ROWS = 10
    assessment = empty_assessment
    rows = read(SAMPLE.read_bytes(), SAMPLE.name).rows
    assert len(rows) > 10

    sign_in(page, live_server.url)
    upload(page, live_server.url, assessment, SAMPLE)
    import_previewed(page)
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/jobs/\d+/$"))
    card = page.locator("#job")
    expect(card).to_have_attribute("data-status", "queued")
    expect(card.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "0")
    expect(card).to_contain_text("ワーカーの処理待ち")
    screenshot(page, "job-queued")
    page.evaluate("window.stillTheSamePage = true")

    assert work_off() == 1  # the worker, here in the test's thread
    expect(card).to_have_attribute("data-status", "done", timeout=5_000)
    expect(card).to_contain_text(f"{SAMPLE.name} から {len(rows)} 件の作業をインポートしました。")
    assert page.evaluate("window.stillTheSamePage") is True
    screenshot(page, "job-done")
    card.get_by_role("link", name="業務棚卸しを開く").click()
    page.wait_for_url(f"{live_server.url}/assessments/{assessment.pk}/inventory/")
    expect(page.locator(TASKS)).to_have_text(str(len(rows)))
