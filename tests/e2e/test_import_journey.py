"""A manager's import of the sheet her department already keeps, in a real browser (SPEC
4.2.1): a title block, 月次 and ○ values, a 所要時間 column in hours without its unit. She
decides the unit once (the first tasks' hours change in place), saves the mapping, previews,
replaces the inventory after confirming, undoes it, and uploads the sheet again: the saved
mapping reads it without asking.

The expected figures come from the pure reading (files.reading.read) and inventory.derive."""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from assessments.domain import inventory
from assessments.files import words
from assessments.files.decisions import Decisions
from assessments.files.reading import read
from assessments.models import Assessment, Override
from outsourcing_advisor.accounts.models import Organisation, Role
from tests.e2e.browser import save_screenshot
from tests.factories import PASSWORD, make_member, make_task

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

TASKS = "[data-figure=tasks]"
HOURS = "[data-figure=annual-hours]"
ROWS = [
    ("人事部", "給与計算", "勤怠データの集計", "月次", 1.5, "○"),
    (None, "給与計算", "給与明細の配布", "月次", 0.5, "×"),
    (None, "社会保険", "算定基礎届の作成", "年次", 8, "○"),
    (None, "採用", "面接日程の調整", "週2回", 0.5, "×"),
]


def department_sheet(path: Path) -> Path:
    """The sheet as 人事部 keeps it: title and author block, header on row 4, 部署 merged down."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "業務棚卸し"
    sheet["A1"] = "2026年度 業務棚卸し調査票"
    sheet["A2"] = "記入者：佐藤 花子"
    sheet.append([])
    sheet.append(["部署", "業務", "作業", "頻度", "所要時間", "マニュアル"])
    for row in ROWS:
        sheet.append(list(row))
    sheet.merge_cells("A5:A8")
    stream = io.BytesIO()
    workbook.save(stream)
    path.write_bytes(stream.getvalue())
    return path


@pytest.fixture
def assessment(transactional_db) -> Assessment:
    """Company A's assessment with two tasks typed in the browser, one answered and
    overridden: the sheet will replace them."""
    organisation = Organisation.objects.create(
        name="Sakura Trading", employee_count=420, indirect_headcount=58
    )
    user = make_member("hanako", organisation, Role.MANAGER, language="ja")
    assessment = Assessment.objects.start(
        organisation=organisation, name="Back office 2026", created_by=user
    )
    kept = make_task(
        assessment,
        department="総務部",
        process="受付",
        task="来客対応",
        category="general_affairs",
        frequency="daily",
        minutes=Decimal(30),
        answers={"C1": "no"},
        answer_sources={"C1": "user"},
    )
    make_task(
        assessment,
        position=1,
        department="総務部",
        process="郵便",
        task="郵便物の仕分け",
        category="general_affairs",
        frequency="daily",
        minutes=Decimal(15),
    )
    Override.objects.create(task=kept, model="bpo", justification="受付は外部委託済み", author=user)
    assessment.recompute_results()
    return assessment


def shown_hours(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP):,}"


def expected_hours(path: Path, organisation: Organisation) -> tuple[int, Decimal, list[str]]:
    """Tasks, total hours, and the first tasks' hours as the sample table shows them."""
    decided = Decisions(units={"所要時間": words.HOUR})
    rows = read(path.read_bytes(), path.name, decided, inventory.OrgSettings.of(organisation)).rows
    hours = []
    for row in rows:
        volume = inventory.Volume(
            frequency=row["frequency"],
            occurrences=row["occurrences"],
            minutes=row["minutes"],
            people=row["people"],
        )
        derived = inventory.derive(volume, inventory.OrgSettings.of(organisation))
        assert derived.annual_hours is not None
        hours.append(derived.annual_hours)
    return len(rows), sum(hours, Decimal(0)), [shown_hours(h) for h in hours]


def sign_in(page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "hanako")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def upload(page, base: str, assessment: Assessment, path: Path) -> None:
    page.goto(f"{base}/assessments/{assessment.pk}/import/")
    page.set_input_files("input[type=file]", str(path))
    page.locator("button[name=upload]").click()
    page.wait_for_load_state()


def test_map_once_preview_replace_undo_and_the_mapping_is_remembered(
    page, live_server, assessment, tmp_path
):
    from playwright.sync_api import expect

    base = live_server.url
    sheet = department_sheet(tmp_path / "人事部_業務棚卸し.xlsx")
    count, total, first_hours = expected_hours(sheet, assessment.organisation)
    before = {t.pk: (t.task, t.answers) for t in assessment.tasks.all()}

    sign_in(page, base)
    upload(page, base, assessment, sheet)

    # The mapping step: the header was found under the title block; the unit is asked.
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/import/\d+/$"))
    expect(page.locator("main")).to_contain_text("ヘッダーは4行目")
    unit = page.locator("select[name^=unit_]")
    expect(unit).to_have_value("")
    unit.select_option(words.HOUR)
    sample = page.locator("#mapping-sample")
    expect(sample.locator("tbody tr").first.locator("td.num")).to_have_text(first_hours[0])
    page.locator("#id_save_profile").check()
    page.fill("#id_profile_name", "人事部の様式")
    save_screenshot(page, "import-mapping", tmp_path)
    page.locator("form.import-mapping button.btn-primary").click()

    # The preview: the plan, in place when the mode changes; removing needs the confirmation.
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/import/\d+/preview/$"))
    expect(page.locator("[data-count=added]")).to_have_text(str(count))
    expect(page.locator("[data-count=removed]")).to_have_text("0")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("input[name=replace][value='1']").check()
    expect(page.locator("[data-count=removed]")).to_have_text("2")
    assert page.evaluate("window.stillTheSamePage") is True
    page.locator("button[name=import]").click()
    expect(page.locator("#plan .alert-danger .text-danger")).to_be_visible()
    assert set(assessment.tasks.values_list("pk", flat=True)) == set(before)
    page.locator("input[name=confirm]").check()
    save_screenshot(page, "import-preview", tmp_path)
    page.locator("button[name=import]").click()

    page.wait_for_url(f"{base}/assessments/{assessment.pk}/")
    expect(page.locator(TASKS)).to_have_text(str(count))
    expect(page.locator(HOURS)).to_have_text(shown_hours(total))
    assert not Override.objects.filter(task__assessment=assessment).exists()

    # Undo: the two tasks are back, with their ids, answers and override.
    page.goto(f"{base}/assessments/{assessment.pk}/import/")
    page.get_by_role("link", name="元に戻す").click()
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(f"{base}/assessments/{assessment.pk}/inventory/")
    expect(page.locator(TASKS)).to_have_text("2")
    assert {t.pk: (t.task, t.answers) for t in assessment.tasks.all()} == before
    override = Override.objects.get(task__assessment=assessment)
    assert (override.task.task, override.model) == ("来客対応", "bpo")

    # The same sheet again: the saved mapping reads it without asking.
    upload(page, base, assessment, sheet)
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/import/\d+/preview/$"))
    expect(page.locator("main")).to_contain_text("人事部の様式")
    expect(page.locator("[data-count=added]")).to_have_text(str(count))
