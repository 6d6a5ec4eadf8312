"""Find and change many at once (issue 18). Hanako (manager of Sakura Trading) searches her
inventory and narrows it with filters that combine, in a link she can share; ticks rows and sets
one attribute or one answer for all of them, all or nothing, each row checked as editing it alone
would check it; and moves tasks and packages to the trash, from where they come back for 30 days
before they are deleted for good."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Package, Task, TaskResult
from assessments.models.assessment import TRASH_DAYS, purge_trash
from assessments.models.steps import Kpi
from assessments.reporting import progress
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import OUTSOURCEABLE, build_task, make_task
from vendors.models import Bid
from vendors.services import links

pytestmark = pytest.mark.django_db


def inventory(client: Client, assessment: Assessment, **query: str) -> str:
    return client.get(reverse("inventory", args=[assessment.pk]), query).content.decode()


def shown_tasks(page: str) -> set[str]:
    """The names of the tasks the table shows."""
    return set(re.findall(r'<td class="task-name"><a href="[^"]*">([^<]*)</a>', page))


def bulk(client: Client, assessment: Assessment, tasks: list[Task], **form: Any) -> Any:
    data = {"tasks": [task.pk for task in tasks], "action": "set", **form}
    return client.post(
        reverse("inventory_bulk", args=[assessment.pk]), data, HTTP_HX_REQUEST="true"
    )


def url(name: str, assessment: Assessment, *rest: int) -> str:
    return reverse(name, args=[assessment.pk, *rest])


@pytest.fixture
def offices(assessment: Assessment) -> Assessment:
    """Beside the two tasks of `assessment`: Japanese tasks of 人事部 and 経理部, with notes."""
    make_task(
        assessment, position=2, department="人事部", process="給与計算", task="勤怠データの集計",
        category="hr", frequency="monthly", minutes=Decimal(90), notes="Excelで集計",
    )  # fmt: skip
    make_task(
        assessment, position=3, department="経理部", process="支払", task="請求書の発行",
        category="accounting", frequency="monthly", minutes=Decimal(30),
        description="取引先への請求書をPDFで送付",
    )  # fmt: skip
    make_task(
        assessment, position=4, department="人事部", process="採用", task="面接の日程調整",
        category="hr", frequency="weekly", minutes=Decimal(20), **{
            k: v for k, v in OUTSOURCEABLE.items() if k != "frequency"
        },
    )  # fmt: skip
    assessment.recompute_results()
    return assessment


# --- search and filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("請求", {"請求書の発行"}),  # the task's name, in Japanese
        ("給与", {"勤怠データの集計"}),  # its process
        ("人事部", {"勤怠データの集計", "面接の日程調整"}),  # its department
        ("excel", {"勤怠データの集計"}),  # its notes, whatever the case
        ("PDF", {"請求書の発行"}),  # its description
        ("greet", {"Greet visitors"}),
        ("人事部　日程", {"面接の日程調整"}),  # every word, split at a full-width space too
        ("存在しない", set()),
    ],
)
def test_the_search_looks_in_name_department_process_notes_and_description(
    manager_client, offices, search, found
):
    assert shown_tasks(inventory(manager_client, offices, q=search)) == found


def test_filters_combine_and_the_count_says_how_many_of_all(manager_client, offices):
    page = inventory(manager_client, offices, department="人事部", frequency="monthly")
    assert shown_tasks(page) == {"勤怠データの集計"}
    assert "1 of 5 tasks" in page
    # Each condition in use, with the link that takes it away (the others stay).
    assert 'href="?frequency=monthly"' in page and "Department: 人事部" in page
    assert 'href="?department=%E4%BA%BA%E4%BA%8B%E9%83%A8"' in page
    page = inventory(manager_client, offices, q="人事部", status="complete")
    assert shown_tasks(page) == {"面接の日程調整"}  # the one with its answers
    page = inventory(manager_client, offices, status="incomplete", category="hr")
    assert shown_tasks(page) == {"勤怠データの集計", "Collect timesheets"}


def test_the_package_and_model_filters(manager_client, offices):
    interviews = offices.tasks.get(task="面接の日程調整")
    model = interviews.final_model
    package = Package.objects.create(assessment=offices, model=model, name="BPO")
    offices.tasks.filter(pk=interviews.pk).update(package=package)
    assert shown_tasks(inventory(manager_client, offices, package="in")) == {"面接の日程調整"}
    assert "面接の日程調整" not in shown_tasks(inventory(manager_client, offices, package="out"))
    assert shown_tasks(inventory(manager_client, offices, model=model)) == {"面接の日程調整"}


def test_without_any_condition_the_page_says_how_many_tasks(manager_client, offices):
    page = inventory(manager_client, offices)
    assert len(shown_tasks(page)) == 5 and "5 tasks" in page and "of 5" not in page


def test_an_empty_result_says_what_to_loosen(manager_client, offices):
    page = inventory(manager_client, offices, department="経理部", frequency="weekly")
    assert shown_tasks(page) == set()
    assert "No task matches all of these conditions." in page
    assert "without “Department: 経理部”: 1 task" in page  # the weekly one is in 人事部
    assert "without “Frequency: Weekly”: 1 task" in page
    assert "No tasks yet." not in page


def test_a_bad_value_is_not_applied_and_the_others_still_are(manager_client, offices):
    page = inventory(manager_client, offices, department="人事部", category="no-such")
    assert shown_tasks(page) == {"勤怠データの集計", "面接の日程調整"}


def test_a_filter_changed_in_place_sends_the_table_its_count_and_totals_and_a_clean_address(
    manager_client, offices
):
    response = manager_client.get(
        url("inventory", offices),
        {"q": "人事", "department": "", "sort": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="inventory-results",
    )
    body = response.content.decode()
    assert body.startswith('<div id="inventory-results">') and "<html" not in body
    assert 'id="totals"' in body and 'hx-swap-oob="true"' in body
    assert '<p id="inventory-count" hx-swap-oob="innerHTML">' in body and "2 of 5 tasks" in body
    assert response["HX-Push-Url"] == url("inventory", offices) + "?q=%E4%BA%BA%E4%BA%8B"
    totals = manager_client.get(url("inventory_totals", offices), {"q": "人事"}).content.decode()
    assert 'data-figure="tasks">2<' in totals
    # The totals, refreshed after a change in the table, bring the count with them.
    assert '<p id="inventory-count" hx-swap-oob="innerHTML">' in totals
    assert "2 of 5 tasks" in totals


def test_a_viewer_searches_but_has_no_checkboxes_nor_bar(viewer_client, offices):
    page = inventory(viewer_client, offices, q="人事部")
    assert len(shown_tasks(page)) == 2
    assert "data-bulk" not in page and 'name="tasks"' not in page


def many_tasks(assessment: Assessment, count: int) -> None:
    Task.objects.bulk_create(
        build_task(assessment, position=10 + i, department=f"部{i % 4}", task=f"作業{i}",
                   frequency="monthly", minutes=Decimal(10), notes="定型")
        for i in range(count)
    )  # fmt: skip
    assessment.recompute_results()


def queries_of(client: Client, path: str, data: dict[str, Any], post: bool = False) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = (client.post if post else client.get)(path, data)
    assert response.status_code in (200, 302)
    return len(captured)


def test_queries_do_not_grow_with_the_tasks(manager_client, assessment, company_a):
    small = Assessment.objects.start(organisation=company_a, name="Small")
    large = Assessment.objects.start(organisation=company_a, name="Large")
    many_tasks(small, 10)
    many_tasks(large, 50)
    for filters in ({}, {"q": "定型", "department": "部1", "status": "incomplete"}, {"q": "なし"}):
        assert queries_of(manager_client, url("inventory", small), filters) == queries_of(
            manager_client, url("inventory", large), filters
        ), filters
    for target in (small, large):
        target.trash_tasks(list(target.tasks.all()[:8]), None)
    assert queries_of(manager_client, url("assessment_trash", small), {}) == queries_of(
        manager_client, url("assessment_trash", large), {}
    )
    edits = []
    for target in (small, large):
        ticked = [task.pk for task in target.tasks.all()]
        edits.append(
            queries_of(
                manager_client,
                url("inventory_bulk", target),
                {
                    "tasks": ticked,
                    "action": "set",
                    "field": "frequency",
                    "value-frequency": "weekly",
                },
                post=True,
            )
        )
    assert edits[0] == edits[1]
    assert not small.tasks.exclude(frequency="weekly").exists()


# --- bulk edit ---------------------------------------------------------------------------------


def test_ticked_rows_get_one_frequency_recorded_once_each_and_checked_again(
    manager_client, offices, manager
):
    ticked = [*offices.tasks.filter(department="人事部"), offices.tasks.get(task="Greet visitors")]
    computed = dict(TaskResult.objects.values_list("task_id", "computed_at"))
    response = bulk(
        manager_client, offices, ticked, field="frequency", **{"value-frequency": "quarterly"}
    )
    body = response.content.decode()
    assert "“Frequency” is now “Quarterly” for the 3 selected tasks (3 changed)." in body
    assert set(offices.tasks.filter(frequency="quarterly")) == set(ticked)
    assert offices.tasks.get(task="請求書の発行").frequency == "monthly"  # not ticked
    events = Event.objects.filter(subject_type=SubjectType.TASK, action=Action.CHANGED)
    assert sorted(e.subject_id for e in events) == sorted(t.pk for t in ticked)
    assert all(
        e.changes == [{"field": "frequency", "old": e.changes[0]["old"], "new": "quarterly"}]
        and e.actor == manager
        for e in events
    )
    for task in ticked:  # hours changed: their results were computed again
        assert TaskResult.objects.get(task=task).computed_at > computed[task.pk]
    # The rows stay ticked (another attribute may follow), the totals and stepper follow.
    assert body.count(" checked>") == 3 and 'hx-swap-oob="true"' in body
    assert 'id="assessment-stepper"' in body


def test_a_value_one_row_refuses_names_that_row_and_changes_nothing(manager_client, offices):
    ranged = offices.tasks.get(task="請求書の発行")
    Task.objects.filter(pk=ranged.pk).update(minutes_low=Decimal(20), minutes_high=Decimal(40))
    ticked = list(offices.tasks.filter(task__in=["勤怠データの集計", "請求書の発行"]))
    before = list(Task.objects.order_by("pk").values())
    response = bulk(manager_client, offices, ticked, field="minutes", **{"value-minutes": "60"})
    body = response.content.decode()
    assert "Nothing was changed: 1 of the 2 selected tasks cannot take this value." in body
    # The fast table's own message for a row, naming the row as the inventory numbers it.
    assert (
        "Row 4 “請求書の発行”, Minutes per occurrence: Outside the range the task gives for it "
        "(20 to 40): change them together in the task&#x27;s form." in body
    )
    assert list(Task.objects.order_by("pk").values()) == before
    assert not Event.objects.exists()
    assert body.count(" checked>") == 2  # still ticked, to try another value
    assert 'data-bulk-value="minutes">' in body and 'value="60"' in body


def test_a_value_every_row_refuses_is_named_for_each(manager_client, offices):
    ticked = list(offices.tasks.all()[:2])
    body = bulk(manager_client, offices, ticked, field="department", **{"value-department": ""})
    body = body.content.decode()
    assert "Nothing was changed: 2 of the 2 selected tasks cannot take this value." in body
    assert "Row 1 “Collect timesheets”, Department: This field is required." in body
    assert "Row 2 “Greet visitors”, Department: This field is required." in body
    assert not Event.objects.exists()


def test_one_answer_for_every_ticked_task(manager_client, offices, manager):
    ticked = list(offices.tasks.filter(department="人事部"))
    response = bulk(manager_client, offices, ticked, field="C4", **{"value-C4": "yes"})
    assert "(2 changed)" in response.content.decode()
    assert all(task.answers["C4"] == "yes" for task in offices.tasks.filter(department="人事部"))
    events = Event.objects.filter(subject_type=SubjectType.ANSWERS)
    assert sorted(e.subject_id for e in events) == sorted(t.pk for t in ticked)
    # A value that is not an answer: the answer grid's message, every row named, nothing saved.
    answers = list(Task.objects.order_by("pk").values_list("answers", flat=True))
    body = bulk(manager_client, offices, ticked, field="C5", **{"value-C5": "maybe"})
    assert "Row 3 “勤怠データの集計”, C5: Select a valid choice." in body.content.decode()
    assert "Row 5 “面接の日程調整”, C5: Select a valid choice." in body.content.decode()
    assert list(Task.objects.order_by("pk").values_list("answers", flat=True)) == answers


def test_ticked_rows_go_to_the_trash_together(manager_client, offices):
    ticked = list(offices.tasks.filter(department="人事部"))
    response = bulk(manager_client, offices, ticked, action="trash")
    body = response.content.decode()
    assert "2 tasks moved to the trash: you can restore them from there for 30 days." in body
    assert shown_tasks(body) == {"Collect timesheets", "Greet visitors", "請求書の発行"}
    assert Event.objects.filter(action=Action.TRASHED).count() == 2
    assert body.count(" checked>") == 0


def test_a_ticked_task_trashed_meanwhile_refuses_the_whole_change(manager_client, offices):
    ticked = list(offices.tasks.filter(department="人事部"))
    offices.trash_task(ticked[0], None)
    body = bulk(manager_client, offices, ticked, field="process", **{"value-process": "X"})
    assert "1 of the selected tasks is no longer in the inventory" in body.content.decode()
    assert not offices.tasks.filter(process="X").exists()


def test_without_htmx_the_bulk_edit_comes_back_to_the_filtered_page(manager_client, offices):
    ticked = list(offices.tasks.filter(department="人事部"))
    response = manager_client.post(
        url("inventory_bulk", offices) + "?department=%E4%BA%BA%E4%BA%8B%E9%83%A8",
        {
            "tasks": [t.pk for t in ticked],
            "action": "set",
            "field": "process",
            "value-process": "労務",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("?department=%E4%BA%BA%E4%BA%8B%E9%83%A8")
    assert "“Process” is now “労務”" in response.content.decode()
    refused = manager_client.post(
        url("inventory_bulk", offices),
        {"tasks": [t.pk for t in ticked], "action": "set", "field": "process", "value-process": ""},
        follow=True,
    ).content.decode()
    assert "Nothing was changed: 2 of the 2 selected tasks cannot take this value." in refused
    assert "Row 3 “勤怠データの集計”, Process: This field is required." in refused


# --- the trash -----------------------------------------------------------------------------------


def test_a_task_moved_to_the_trash_leaves_every_count_and_comes_back(
    manager_client, offices, manager
):
    task = offices.tasks.get(task="請求書の発行")
    response = manager_client.post(url("task_delete", offices, task.pk), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "“請求書の発行” moved to the trash (restorable for 30 days)." in body
    assert url("task_restore", offices, task.pk) in body and "4 tasks have no verdict" not in body
    assert "請求書の発行" not in shown_tasks(inventory(manager_client, offices))
    assert offices.tasks.count() == 4 and Task.with_trashed.filter(assessment=offices).count() == 5
    assert progress.workflow_facts(offices).tasks == 4
    assert manager_client.get(url("task_edit", offices, task.pk)).status_code == 404

    page = manager_client.get(url("assessment_trash", offices)).content.decode()
    assert "請求書の発行" in page and ">hanako</td>" in page  # who moved it there
    assert 'data-days-left="30"' in page
    assert Event.objects.get(action=Action.TRASHED).subject_id == task.pk

    response = manager_client.post(url("task_restore", offices, task.pk), follow=True)
    assert "Task “請求書の発行” restored." in response.content.decode()
    assert offices.tasks.count() == 5
    assert Event.objects.filter(action=Action.RESTORED, subject_id=task.pk).exists()


def test_a_restored_task_is_checked_with_the_pinned_versions_and_rejoins_its_package(
    manager_client, offices
):
    task = offices.tasks.get(task="面接の日程調整")
    package = Package.objects.create(assessment=offices, model=task.final_model, name="BPO")
    offices.tasks.filter(pk=task.pk).update(package=package)
    offices.trash_task(task, None)
    assert not package.tasks.exists()  # the package does not count it meanwhile
    TaskResult.objects.filter(task=task).delete()
    response = manager_client.post(url("task_restore", offices, task.pk), HTTP_HX_REQUEST="true")
    assert f'id="task-{task.pk}"' in response.content.decode()  # the row, swapped back
    restored = Task.objects.select_related("result").get(pk=task.pk)
    assert restored.package == package
    assert restored.result.checklist_version == offices.checklist_version


def test_a_task_whose_package_is_in_the_trash_comes_back_in_no_package(offices):
    task = offices.tasks.get(task="面接の日程調整")
    package = Package.objects.create(assessment=offices, model=task.final_model, name="BPO")
    offices.tasks.filter(pk=task.pk).update(package=package)
    offices.trash_task(task, None)
    package.trash(None, seen=package.contents().stamp)
    assert offices.restore_tasks([task.pk], None)[0].package is None
    assert Task.objects.get(pk=task.pk).package is None


@pytest.fixture
def linked(bpo: Package, invited: tuple[Bid, Bid], consultant) -> tuple[Package, str]:
    """The BPO package of `checked` (payroll and invoices), Mirai invited with a link."""
    return bpo, links.issue(invited[0], consultant, language="en")[1]


def test_a_package_in_the_trash_closes_its_vendors_links_until_restored(
    consultant_client, checked, linked
):
    package, token = linked
    portal = reverse("vendor_portal", args=[token])
    vendor = Client()
    assert vendor.get(portal).status_code == 200
    held = sorted(package.tasks.values_list("pk", flat=True))
    kpi = Kpi.objects.create(assessment=checked, package=package, name="処理件数", target="100")
    page = consultant_client.get(url("package_delete", checked, package.pk)).content.decode()
    assert "their links stop working while the package is in the trash" in page
    stamp = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    response = consultant_client.post(
        url("package_delete", checked, package.pk), {"seen": stamp}, follow=True
    )
    assert "moved to the trash: you can restore it from there for 30 days." in (
        response.content.decode()
    )
    assert vendor.get(portal).status_code == 404
    assert not checked.packages.filter(pk=package.pk) and not checked.tasks.filter(package=package)
    assert consultant_client.get(url("package_vendors", checked, package.pk)).status_code == 404
    kpi.refresh_from_db()
    assert kpi.package is None  # as before: a KPI stays, tied to no package
    assert Bid.objects.filter(package=package).count() == 2  # kept with it

    page = consultant_client.get(url("assessment_trash", checked)).content.decode()
    assert "2 invited vendors (their links do not work meanwhile)" in page and "2 tasks" in page
    # One of its tasks went to another package meanwhile: it stays there.
    moved = checked.tasks.get(pk=held[0])
    other = Package.objects.create(assessment=checked, model="bpo", name="Other")
    checked.assign([moved.pk], other)
    response = consultant_client.post(url("package_restore", checked, package.pk), follow=True)
    words = response.content.decode()
    assert "restored with 1 task." in words and "1 task it held was not put back" in words
    assert list(package.tasks.values_list("pk", flat=True)) == [held[1]]
    assert vendor.get(portal).status_code == 200
    assert Event.objects.filter(subject_type=SubjectType.PACKAGE, action=Action.RESTORED)


def test_a_second_click_on_moving_a_package_to_the_trash_changes_nothing(
    consultant_client, checked, bpo
):
    stamp = bpo.contents().stamp
    consultant_client.post(url("package_delete", checked, bpo.pk), {"seen": stamp})
    response = consultant_client.post(
        url("package_delete", checked, bpo.pk), {"seen": stamp}, follow=True
    )
    assert "This package is no longer here (merged, or moved to the trash)" in (
        response.content.decode()
    )
    assert Event.objects.filter(action=Action.TRASHED).count() == 1


def test_after_30_days_the_trash_is_deleted_for_good(manager_client, offices, bpo_like):
    old, recent = offices.tasks.get(task="請求書の発行"), offices.tasks.get(task="Greet visitors")
    offices.trash_tasks([old, recent], None)
    bpo_like.trash(None, seen=bpo_like.contents().stamp)
    long_ago = timezone.now() - datetime.timedelta(days=TRASH_DAYS, minutes=1)
    Task.with_trashed.filter(pk=old.pk).update(deleted_at=long_ago)
    Package.with_trashed.filter(pk=bpo_like.pk).update(deleted_at=long_ago)
    # Past 30 days: neither listed nor restorable, even before the purge has run.
    page = manager_client.get(url("assessment_trash", offices)).content.decode()
    assert "請求書の発行" not in page and "Greet visitors" in page and bpo_like.name not in page
    assert manager_client.post(url("task_restore", offices, old.pk)).status_code == 404
    assert manager_client.post(url("package_restore", offices, bpo_like.pk)).status_code == 404

    call_command("purge_trash", verbosity=0)
    assert not Task.with_trashed.filter(pk=old.pk).exists()
    assert not Package.with_trashed.filter(pk=bpo_like.pk).exists()
    assert Task.with_trashed.filter(pk=recent.pk).exists()  # 30 days not yet over
    purged = Event.objects.filter(action=Action.DELETED, details__purged=TRASH_DAYS)
    assert {(e.subject_type, e.subject_id) for e in purged} == {
        (SubjectType.TASK, old.pk),
        (SubjectType.PACKAGE, bpo_like.pk),
    }
    history = manager_client.get(url("assessment_history", offices)).content.decode()
    assert "Deleted for good after 30 days in the trash." in history
    assert purge_trash() == (0, 0)


@pytest.fixture
def bpo_like(offices: Assessment) -> Package:
    return Package.objects.create(assessment=offices, model="bpo", name="採用の委託")


def test_an_import_never_brings_back_nor_doubles_a_task_in_the_trash(manager_client, offices):
    trashed = offices.tasks.get(task="請求書の発行")
    before = offices.snapshot_inventory()
    imported = offices.import_tasks(
        [
            {
                "department": "総務部",
                "process": "受付",
                "task": "来客対応",
                "category": "general_affairs",
            }
        ],
        filename="x.csv",
        sha256="",
        user=None,
        replace=False,
    )
    imported.before = before  # taken before the task went to the trash
    imported.save()
    offices.trash_task(trashed, None)
    offices.undo_import(imported, None)
    assert not offices.tasks.filter(pk=trashed.pk).exists()  # still in the trash, once
    assert Task.with_trashed.filter(pk=trashed.pk).get().deleted_at is not None
    assert not offices.tasks.filter(task="来客対応").exists()


def test_outsiders_get_404_on_every_new_page(outsider_client, offices, bpo_like):
    task = offices.tasks.first()
    offices.trash_task(task, None)
    bpo_like.trash(None, seen=bpo_like.contents().stamp)
    for path in (
        url("assessment_trash", offices),
        url("task_restore", offices, task.pk),
        url("package_restore", offices, bpo_like.pk),
        url("inventory_bulk", offices),
    ):
        statuses = {
            outsider_client.get(path).status_code,
            outsider_client.post(path, {"tasks": [task.pk]}).status_code,
        }
        assert 404 in statuses and statuses <= {404, 405}, path
    assert Task.with_trashed.get(pk=task.pk).deleted_at is not None


def test_a_viewer_sees_the_trash_but_restores_nothing(viewer_client, offices):
    task = offices.tasks.first()
    offices.trash_task(task, None)
    page = viewer_client.get(url("assessment_trash", offices)).content.decode()
    assert task.task in page and url("task_restore", offices, task.pk) not in page
    assert viewer_client.post(url("task_restore", offices, task.pk)).status_code == 403
