"""Each state change owns its consequences: called without a page (as the command line, the
background worker or the admin would), it saves, recomputes what depends on it and records the
history, all or nothing. The pages that call the same owners are covered in tests/history/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from assessments.domain.choices import Verdict
from assessments.models import Assessment, Package, Task, TaskResult
from assessments.models.assessment import purge_trash
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import NON_CORE, build_task

pytestmark = pytest.mark.django_db


def payroll_of(assessment: Assessment) -> Task:
    return assessment.tasks.get(task="Collect timesheets")


def add(assessment: Assessment) -> Task:
    return assessment.add_task(build_task(assessment, task="New", minutes=Decimal(5)), None)


def edit(assessment: Assessment) -> Task:
    task = payroll_of(assessment)
    before = {"minutes": task.minutes}
    task.minutes = Decimal(90)
    return assessment.save_task(task, before, None)


def duplicate(assessment: Assessment) -> Task:
    return assessment.duplicate_task(payroll_of(assessment), None)


def answer(assessment: Assessment) -> Task:
    task = payroll_of(assessment)
    assert assessment.save_answers([(task, NON_CORE)], None) == [task]
    return task


def override(assessment: Assessment) -> Task:
    task = payroll_of(assessment)
    assessment.override_task(task, "ito", "With IT", None)
    return task


# (owner, the events it records: subject type, action, changes; what its result says)
OWNERS: list[tuple[Callable[[Assessment], Task], list[tuple[str, str, list[Any]]], str]] = [
    (add, [(SubjectType.TASK, Action.CREATED, [])], Verdict.INCOMPLETE),
    (
        edit,
        [(SubjectType.TASK, Action.CHANGED, [{"field": "minutes", "old": "120", "new": "90"}])],
        Verdict.INCOMPLETE,
    ),
    (duplicate, [(SubjectType.TASK, Action.CREATED, [])], Verdict.INCOMPLETE),
    (
        answer,
        [(SubjectType.ANSWERS, Action.CHANGED, [{"field": "C1", "old": "", "new": "no"}])],
        Verdict.NON_CORE,
    ),
    (
        override,
        [
            (
                SubjectType.OVERRIDE,
                Action.CREATED,
                [{"field": "model", "old": "", "new": "ito"}],
            )
        ],
        Verdict.INCOMPLETE,
    ),
]


@pytest.mark.parametrize(
    ("owner", "expected", "verdict"), OWNERS, ids=[row[0].__name__ for row in OWNERS]
)
def test_an_owner_saves_recomputes_and_records(assessment, owner, expected, verdict):
    task = owner(assessment)
    result = TaskResult.objects.get(task=task)
    assert result.verdict == verdict
    events = list(Event.objects.order_by("id"))
    assert [(e.subject_type, e.action, e.changes[:1]) for e in events] == expected
    assert {(e.actor, e.actor_name, e.subject_id, e.assessment_id) for e in events} == {
        (None, "", task.pk, assessment.pk)
    }


def test_an_override_recomputes_the_warnings_for_the_model_used(assessment):
    task = payroll_of(assessment)
    assessment.override_task(task, "ito", "With IT", None)
    assert Task.objects.get(pk=task.pk).final_model == "ito"
    assessment.clear_override(task, None)
    assessment.clear_override(task, None)  # nothing left to clear: nothing recorded
    assert [e.action for e in Event.objects.order_by("id")] == [Action.CREATED, Action.DELETED]


def test_a_task_to_the_trash_and_deleted_for_good_records_what_it_held(assessment):
    task = payroll_of(assessment)
    assessment.trash_task(task, None)
    assert not Task.objects.filter(task="Collect timesheets").exists()
    event = Event.objects.get()
    assert (event.action, event.subject_repr) == (Action.TRASHED, str(task))
    Task.with_trashed.filter(pk=task.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    assert purge_trash() == (1, 0)
    assert not Task.with_trashed.filter(pk=task.pk).exists()
    event = Event.objects.get(action=Action.DELETED)
    assert event.subject_repr == str(task) and event.details == {"purged": 30}
    assert {"field": "minutes", "old": "120", "new": ""} in event.changes


def test_answers_that_change_nothing_record_and_save_nothing(assessment):
    task = payroll_of(assessment)
    seen = Task.objects.get(pk=task.pk).updated_at
    assert assessment.save_answers([(task, {})], None) == []
    assert not Event.objects.exists() and Task.objects.get(pk=task.pk).updated_at == seen


def test_answers_of_several_tasks_are_one_event_each_in_their_order(assessment):
    payroll = payroll_of(assessment)
    reception = assessment.tasks.get(task="Greet visitors")
    changed = assessment.save_answers([(reception, {"C2": "yes"}), (payroll, NON_CORE)], None)
    assert changed == [reception, payroll]
    assert [e.subject_id for e in Event.objects.order_by("id")] == [reception.pk, payroll.pk]
    assert TaskResult.objects.get(task=payroll).verdict == Verdict.NON_CORE


def package_events(assessment: Assessment) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (e.subject_repr, e.action, e.details)
        for e in Event.objects.filter(subject_type=SubjectType.PACKAGE).order_by("id")
    ]


def test_package_owners_record_on_each_package_they_touch(checked):
    filled = checked.create_packages()
    assert [(f.package.model, f.created) for f in filled] == [("bpo", True), ("ito", True)]
    bpo, ito = checked.packages.get(model="bpo"), checked.packages.get(model="ito")
    ito_name = ito.name
    invoices = checked.tasks.get(task="Invoices")
    split = bpo.split([invoices], "BPO: accounting")
    assert checked.assign([invoices.pk], ito, source=split) == 1
    assert checked.assign([invoices.pk], ito, source=split) == 1  # already there: moved again
    ito.rename("IT")
    ito.rename("IT")  # the same name: nothing recorded
    bpo.merge(split)
    found = package_events(checked)
    assert [(name, action) for name, action, _details in found] == [
        (bpo.name, Action.CREATED),
        (ito_name, Action.CREATED),
        (bpo.name, Action.TASKS_MOVED),
        ("BPO: accounting", Action.CREATED),
        ("BPO: accounting", Action.TASKS_MOVED),
        (ito_name, Action.TASKS_MOVED),
        ("BPO: accounting", Action.TASKS_MOVED),
        (ito_name, Action.TASKS_MOVED),
        ("IT", Action.CHANGED),
        (bpo.name, Action.MERGED),
        ("BPO: accounting", Action.DELETED),
    ]
    assert found[2][2] == {
        "tasks": ["Invoices"],
        "count": 1,
        "from": bpo.name,
        "to": "BPO: accounting",
    }
    assert found[-2][2] == {"merged": "BPO: accounting", "tasks": [], "count": 0}
    assert not Package.objects.filter(name="BPO: accounting").exists()
    assert not Event.objects.filter(actor__isnull=False).exists()


def test_assigning_nothing_records_nothing(checked):
    checked.create_packages()
    before = Event.objects.count()
    assert checked.assign([], checked.packages.first()) == 0
    assert Event.objects.count() == before
