"""An organisation's history goes with its export: restored with its actors by username and its
subjects' ids remapped to the restored rows; a subject that is gone stays a name."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from outsourcing_advisor.accounts.models import Organisation
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.history.record import field_changes, record
from outsourcing_advisor.operations import transfer

pytestmark = pytest.mark.django_db


def test_events_are_exported_and_restored_with_their_subjects(assessment, manager, company_b):
    payroll, reception = assessment.tasks.order_by("position")
    at = timezone.now().replace(microsecond=0)
    record(
        manager,
        SubjectType.TASK,
        payroll,
        Action.CHANGED,
        changes=field_changes({"minutes": 60}, {"minutes": 120}),
        assessment=assessment,
    )
    record(manager, SubjectType.TASK, reception, Action.DELETED, assessment=assessment)
    Event.objects.update(at=at)
    reception.delete()
    record(None, SubjectType.CRITERION, None, Action.CHANGED, changes=[{"field": "w"}])  # site
    record(manager, SubjectType.TASK, None, Action.CREATED, organisation=company_b)  # another

    document = transfer.export(assessment.organisation)
    events = document["data"]["records"]["history.event"]
    assert [(e["fields"]["subject_id"], e["fields"]["actor"]) for e in events] == [
        (1, "hanako"),  # payroll, the first exported task
        (None, "hanako"),  # reception is gone: its name stays
    ]
    name = assessment.organisation.name
    Organisation.objects.filter(name=name).delete()
    # Hanako still exists here: keeping her membership is an explicit choice (issue 13).
    restored = transfer.restore(transfer.loads(transfer.dumps(document)), keep_existing_users=True)
    task = restored.organisation.assessments.get().tasks.get()
    back = list(Event.objects.filter(organisation=restored.organisation).order_by("id"))
    assert [(e.subject_id, e.subject_repr, e.actor) for e in back] == [
        (task.pk, str(task), User.objects.get(username="hanako")),
        (None, str(reception), User.objects.get(username="hanako")),
    ]
    assert back[0].changes == [{"field": "minutes", "old": "60", "new": "120"}]
    assert back[0].at == at and back[0].assessment.organisation == restored.organisation
    again = transfer.export(restored.organisation)
    assert again["data"] == document["data"]
