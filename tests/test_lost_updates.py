"""No lost updates (issue 6): two people open the same task, answers or quote; the first save
wins, the second is refused with a message naming what is stored now, and nothing is
overwritten. The rule: any newer change of the record refuses the save, even one to a field the
second person did not touch; saving again (the page is now stamped with what is stored) is a
deliberate choice to replace it."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Task
from outsourcing_advisor.accounts.models import Role
from tests.factories import make_member
from tests.helpers import blocked_on_a_lock, client_for
from vendors.models import Bid


def opened(client: Client, url: str, *, new: bool = False) -> dict[str, Any]:
    """What the page's form would post unchanged: its fields as shown, with the stamp (empty for
    a record not saved yet)."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    if "seen" in response.context and "seen" not in data:
        data["seen"] = response.context["seen"]
    assert "seen" in data and bool(data["seen"]) != new, "the stamp of the record's last change"
    return {name: "" if value is None else value for name, value in data.items()}


def refusal(response) -> str:
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    return errors[0]


# --- the task form -------------------------------------------------------------------------


@pytest.fixture
def payroll(assessment) -> Task:
    return assessment.tasks.get(task="Collect timesheets")


def edit_url(task: Task) -> str:
    return reverse("task_edit", args=[task.assessment_id, task.pk])


def test_the_second_save_of_a_task_is_refused_and_the_first_stays(
    manager_client, consultant_client, payroll
):
    hanakos, kenjis = (
        opened(manager_client, edit_url(payroll)),
        opened(consultant_client, edit_url(payroll)),
    )
    response = manager_client.post(edit_url(payroll), {**hanakos, "minutes": "90"})
    assert response.status_code == 302

    response = consultant_client.post(edit_url(payroll), {**kenjis, "minutes": "45"})
    message = refusal(response)
    assert "Nothing was saved" in message
    assert "Minutes per occurrence: now “90” (yours: “45”)" in message
    payroll.refresh_from_db()
    assert payroll.minutes == Decimal(90)
    # Kenji's input is kept, and the page is stamped with what is stored now.
    form = response.context["form"]
    assert form["minutes"].value() == "45"
    assert form["seen"].value() == payroll.updated_at.isoformat()
    assert 'value="45' in response.content.decode()

    # Saving again is his deliberate choice: it replaces Hanako's change.
    again = {**kenjis, "minutes": "45", "seen": form["seen"].value()}
    assert consultant_client.post(edit_url(payroll), again).status_code == 302
    payroll.refresh_from_db()
    assert payroll.minutes == Decimal(45)


def test_a_task_save_without_a_conflict_works(manager_client, payroll):
    data = opened(manager_client, edit_url(payroll))
    response = manager_client.post(edit_url(payroll), {**data, "notes": "Checked with HR"})
    assert response.status_code == 302
    payroll.refresh_from_db()
    assert payroll.notes == "Checked with HR"


def test_a_change_to_another_field_still_refuses_the_save(
    manager_client, consultant_client, payroll
):
    """Rule chosen: any newer change of the record refuses, not only one to the same field."""
    kenjis = opened(consultant_client, edit_url(payroll))
    hanakos = opened(manager_client, edit_url(payroll))
    assert manager_client.post(edit_url(payroll), {**hanakos, "notes": "Hanako"}).status_code == 302

    response = consultant_client.post(edit_url(payroll), {**kenjis, "minutes": "45"})
    message = refusal(response)
    assert "Notes: now “Hanako” (yours: “—”)" in message
    payroll.refresh_from_db()
    assert (payroll.notes, payroll.minutes) == ("Hanako", Decimal(120))


# --- the inline row ------------------------------------------------------------------------


def row_url(task: Task) -> str:
    return reverse("task_row_edit", args=[task.assessment_id, task.pk])


def test_the_second_save_of_a_row_is_refused_and_the_first_stays(
    manager_client, consultant_client, payroll
):
    hanakos, kenjis = (
        opened(manager_client, row_url(payroll)),
        opened(consultant_client, row_url(payroll)),
    )
    assert 'name="seen"' in manager_client.get(row_url(payroll)).content.decode()
    response = manager_client.post(row_url(payroll), {**hanakos, "people": "3"})
    assert response.status_code == 200 and "editing" not in response.content.decode()

    response = consultant_client.post(row_url(payroll), {**kenjis, "people": "5"})
    message = refusal(response)
    assert "People: now “3” (yours: “5”)" in message
    assert "Nothing was saved" in response.content.decode()  # shown in the row
    payroll.refresh_from_db()
    assert payroll.people == 3
    assert response.context["form"]["people"].value() == "5"


def test_a_row_save_without_a_conflict_works(manager_client, payroll):
    data = opened(manager_client, row_url(payroll))
    assert manager_client.post(row_url(payroll), {**data, "people": "4"}).status_code == 200
    payroll.refresh_from_db()
    assert payroll.people == 4


# --- the answers of the guided check -------------------------------------------------------


def check_url(task: Task) -> str:
    return reverse("task_check", args=[task.assessment_id, task.pk])


def test_the_second_save_of_the_answers_is_refused_and_the_first_stays(
    manager_client, consultant_client, payroll
):
    hanakos, kenjis = (
        opened(manager_client, check_url(payroll)),
        opened(consultant_client, check_url(payroll)),
    )
    assert 'name="seen"' in manager_client.get(check_url(payroll)).content.decode()
    response = manager_client.post(check_url(payroll), {**hanakos, "C1": "yes", "go": "stay"})
    assert response.status_code == 302

    response = consultant_client.post(check_url(payroll), {**kenjis, "C1": "no", "go": "stay"})
    message = refusal(response)
    assert "the answers of this task" in message
    assert "C1: now “Yes” (yours: “No”)" in message
    payroll.refresh_from_db()
    assert payroll.answers["C1"] == "yes"
    assert response.context["form"]["C1"].value() == "no"
    assert response.context["seen"] == payroll.updated_at.isoformat()


def test_answers_saved_without_a_conflict_work(manager_client, payroll):
    data = opened(manager_client, check_url(payroll))
    response = manager_client.post(check_url(payroll), {**data, "C2": "no", "go": "stay"})
    assert response.status_code == 302
    payroll.refresh_from_db()
    assert payroll.answers["C2"] == "no"


def test_answers_over_a_newer_task_edit_are_refused(manager_client, consultant_client, payroll):
    """The answers follow the inventory (pre-filled ones): a task edit refuses them too."""
    kenjis = opened(consultant_client, check_url(payroll))
    hanakos = opened(manager_client, edit_url(payroll))
    assert manager_client.post(edit_url(payroll), {**hanakos, "notes": "x"}).status_code == 302

    response = consultant_client.post(check_url(payroll), {**kenjis, "C2": "no", "go": "stay"})
    assert "Nothing was saved" in refusal(response)
    payroll.refresh_from_db()
    assert "C2" not in payroll.answers


# --- the answer grid of the check ---------------------------------------------------------


def grid_url(task: Task) -> str:
    return reverse("check_grid", args=[task.assessment_id])


def grid_opened(client: Client, task: Task) -> dict[str, str]:
    """What the grid would post unchanged: every select as shown and one stamp per task."""
    response = client.get(grid_url(task))
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert data[f"stamp_{task.pk}"] == task.updated_at.isoformat()
    assert f'name="stamp_{task.pk}"' in response.content.decode()
    return data


def test_a_grid_save_over_a_newer_check_is_refused_and_the_first_stays(
    manager_client, consultant_client, payroll
):
    kenjis = grid_opened(consultant_client, payroll)
    hanakos = opened(manager_client, check_url(payroll))
    response = manager_client.post(check_url(payroll), {**hanakos, "C1": "yes", "go": "stay"})
    assert response.status_code == 302

    response = consultant_client.post(grid_url(payroll), {**kenjis, f"t{payroll.pk}-C1": "no"})
    message = refusal(response)
    assert "Nothing was saved" in message
    assert "Collect timesheets" in message
    payroll.refresh_from_db()
    assert payroll.answers["C1"] == "yes"
    form = response.context["form"]
    assert form[f"t{payroll.pk}-C1"].value() == "no"
    assert form[f"stamp_{payroll.pk}"].value() == payroll.updated_at.isoformat()

    # Saving again is a deliberate choice: theirs is kept.
    again = {name: form[name].value() or "" for name in form.fields}
    assert consultant_client.post(grid_url(payroll), again).status_code == 302
    payroll.refresh_from_db()
    assert payroll.answers["C1"] == "no"


def test_a_grid_save_without_a_conflict_works(manager_client, payroll):
    data = grid_opened(manager_client, payroll)
    response = manager_client.post(grid_url(payroll), {**data, f"t{payroll.pk}-C2": "no"})
    assert response.status_code == 302
    payroll.refresh_from_db()
    assert payroll.answers["C2"] == "no"


def test_a_grid_post_without_stamps_is_not_checked(manager_client, consultant_client, payroll):
    data = grid_opened(consultant_client, payroll)
    hanakos = opened(manager_client, check_url(payroll))
    manager_client.post(check_url(payroll), {**hanakos, "C1": "yes", "go": "stay"})
    unstamped = {name: value for name, value in data.items() if not name.startswith("stamp_")}
    response = consultant_client.post(grid_url(payroll), {**unstamped, f"t{payroll.pk}-C1": "no"})
    assert response.status_code == 302
    payroll.refresh_from_db()
    assert payroll.answers["C1"] == "no"


# --- the quote -----------------------------------------------------------------------------


@pytest.fixture
def second_consultant(company_a) -> Client:
    return client_for(make_member("aiko", company_a, Role.CONSULTANT))


def quote_url(bid: Bid) -> str:
    return reverse("bid_quote", args=[bid.package.assessment_id, bid.package_id, bid.pk])


def test_the_second_save_of_a_quote_is_refused_and_the_first_stays(
    consultant_client,
    second_consultant,
    invited,
):
    bid = invited[0]
    kenjis, aikos = (
        opened(consultant_client, quote_url(bid)),
        opened(second_consultant, quote_url(bid)),
    )
    quote = {"pricing_model": "subscription", "monthly_fee": "20000"}
    assert consultant_client.post(quote_url(bid), {**kenjis, **quote}).status_code == 302

    response = second_consultant.post(
        quote_url(bid), {**aikos, "pricing_model": "subscription", "monthly_fee": "25000"}
    )
    message = refusal(response)
    assert (
        "the quote of" in message and "Monthly fee (yen): now “20000” (yours: “25000”)" in message
    )
    bid.refresh_from_db()
    assert bid.monthly_fee == Decimal(20000)
    assert response.context["form"]["monthly_fee"].value() == "25000"


def test_a_quote_saved_without_a_conflict_works(consultant_client, invited):
    bid = invited[0]
    data = opened(consultant_client, quote_url(bid))
    response = consultant_client.post(
        quote_url(bid), {**data, "pricing_model": "subscription", "monthly_fee": "30000"}
    )
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.monthly_fee == Decimal(30000)


# --- the scores (one evaluator's own, e.g. open in two tabs) -------------------------------


def score_url(bid: Bid) -> str:
    return reverse("bid_score", args=[bid.package.assessment_id, bid.package_id, bid.pk])


def test_the_second_save_of_ones_scores_is_refused_and_the_first_stays(
    manager,
    manager_client,
    invited,
):
    bid = invited[0]
    first_tab = opened(manager_client, score_url(bid), new=True)
    second_tab = client_for(manager)
    seconds = opened(second_tab, score_url(bid), new=True)
    saved = {**first_tab, "score_security": "4", "action": "draft"}
    assert manager_client.post(score_url(bid), saved).status_code == 302

    response = second_tab.post(score_url(bid), {**seconds, "score_security": "2"})
    message = refusal(response)
    assert "these scores" in message and "now “4” (yours: “2”)" in message
    assert bid.evaluations.get(evaluator=manager).scores == {"security": 4}
    assert response.context["form"]["score_security"].value() == "2"
    assert response.context["seen"]


def test_scores_saved_without_a_conflict_work(manager, manager_client, invited):
    bid = invited[0]
    data = {**opened(manager_client, score_url(bid), new=True), "score_security": "5"}
    assert manager_client.post(score_url(bid), data).status_code == 302
    data = {**opened(manager_client, score_url(bid)), "score_bcp": "3", "action": "draft"}
    assert manager_client.post(score_url(bid), data).status_code == 302
    assert bid.evaluations.get(evaluator=manager).scores == {"security": 5, "bcp": 3}


# --- two saves at the same instant -----------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_save_at_the_same_instant_as_another_waits_and_is_refused(
    published_defaults, manager_client, consultant_client, payroll
):
    """Hanako's save is under way (her transaction has locked the task, as the saving views do,
    and changes it) when Kenji saves his older page: his check cannot pass before her save is
    committed, and then it sees her change. Without the lock his check would pass and his
    save would overwrite hers the moment she commits."""
    kenjis = opened(consultant_client, edit_url(payroll))
    responses = []

    def kenji_saves() -> None:
        try:
            responses.append(consultant_client.post(edit_url(payroll), {**kenjis, "minutes": "45"}))
        finally:
            connection.close()  # this thread's own connection

    with transaction.atomic():  # Hanako's save
        Task.objects.select_for_update().get(pk=payroll.pk)
        kenji = threading.Thread(target=kenji_saves)
        kenji.start()
        assert blocked_on_a_lock(), "Kenji's save should wait for Hanako's"
        Task.objects.filter(pk=payroll.pk).update(minutes=Decimal(90), updated_at=timezone.now())
    kenji.join(timeout=20)
    assert not kenji.is_alive() and len(responses) == 1
    assert "Minutes per occurrence: now “90” (yours: “45”)" in refusal(responses[0])
    payroll.refresh_from_db()
    assert payroll.minutes == Decimal(90)
