"""The history of an organisation's members (issue 18): each change of outsourcing_advisor/members
records one organisation-level event (no assessment), by whom, and the history words it in the
reader's language; details of an unexpected kind (a restored file) are left unsaid."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from outsourcing_advisor.accounts.models import Membership, Role
from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.members import services as members
from outsourcing_advisor.members.wording import invitation_notes
from outsourcing_advisor.operations import transfer

pytestmark = pytest.mark.django_db


def worded(language: str) -> list[tuple[str, list[tuple[str, str, str]], list[str]]]:
    """(action, lines, notes) of every event, oldest first, as `language` words them."""
    with translation.override(language):
        rows = display.rows(Event.objects.order_by("at", "pk"))
        return [
            (
                str(row.event.get_action_display()),
                [(line.label, line.old, line.new) for line in row.lines],
                row.notes,
            )
            for row in rows
        ]


def test_each_change_records_one_organisation_event(company_a, manager, consultant):
    kenji = Membership.objects.get(user=consultant, organisation=company_a)
    invitation, _ = members.invite(company_a, Role.CONSULTANT, manager, email="taro@example.jp")
    members.revoke_invitation(invitation, manager)
    second, _ = members.invite(company_a, Role.VIEWER, manager, days=3)
    taro = User(username="taro", first_name="太郎", last_name="田中")
    taro.set_password("sakura-shoji-2026-haru")
    with translation.override("ja"):
        members.accept(second, taro)
    members.change_role(kenji, Role.VIEWER, manager)
    assert not members.change_role(kenji, Role.VIEWER, manager)  # no change, no event
    members.remove_member(kenji, manager)
    found = list(Event.objects.order_by("at", "pk"))
    assert [(e.subject_type, e.action, e.actor) for e in found] == [
        (SubjectType.INVITATION, Action.ISSUED, manager),
        (SubjectType.INVITATION, Action.REVOKED, manager),
        (SubjectType.INVITATION, Action.ISSUED, manager),
        (SubjectType.INVITATION, Action.ACCEPTED, taro),
        (SubjectType.MEMBER, Action.CHANGED, manager),
        (SubjectType.MEMBER, Action.DELETED, manager),
    ]
    assert {(e.organisation_id, e.assessment_id) for e in found} == {(company_a.pk, None)}
    assert found[0].subject_repr == "taro@example.jp" and found[2].subject_repr == ""
    assert found[4].subject_repr == "kenji" and found[4].subject_id == kenji.pk

    japanese = worded("ja")
    assert japanese[4][1] == [("ロール", "コンサルタント", "閲覧者")]
    assert japanese[3][2] == ["田中 太郎さんが閲覧者として参加しました。"]
    english = worded("en")
    assert english[0][2][0].startswith("As Consultant; the link works until ")
    assert english[3][2] == ["田中 太郎 joined as Viewer."]  # named as at the time
    assert english[4][1] == [("Role", "Consultant", "Viewer")]
    assert english[5][2] == ["Role until then: Viewer."]


@pytest.mark.parametrize(
    "details",
    [
        {"role": 5, "expires": "2026-12-01T00:00:00+00:00"},
        {"role": "owner"},
        {"role": "viewer", "expires": "not a moment"},
        {},
    ],
)
def test_details_of_an_unexpected_kind_are_left_unsaid(details):
    event = Event(subject_type=SubjectType.INVITATION, action=Action.ISSUED, details=details)
    with translation.override("en"):
        notes = invitation_notes(event)
    assert notes == (["As Viewer."] if details.get("role") == "viewer" else [])


def test_member_events_go_with_an_export_and_invitations_stay(company_a, manager, consultant):
    """The history of the members is the organisation's and is exported; the invitations
    themselves are a door into this installation and are not (transfer.SKIPPED)."""
    members.invite(company_a, Role.VIEWER, manager, email="taro@example.jp")
    kenji = Membership.objects.get(user=consultant, organisation=company_a)
    members.change_role(kenji, Role.VIEWER, manager)
    document = transfer.export(company_a)
    records = document["data"]["records"]
    assert "accounts.invitation" not in records
    events = records["history.event"]
    assert [(e["fields"]["subject_type"], e["fields"]["subject_id"]) for e in events] == [
        ("invitation", None),
        ("member", None),
    ]
    assert events[0]["fields"]["details"]["email"] == "taro@example.jp"
    company_a.delete()
    restored = transfer.restore(transfer.loads(transfer.dumps(document)), keep_existing_users=True)
    with translation.override("en"):
        rows = display.rows(Event.objects.filter(organisation=restored.organisation).order_by("pk"))
    assert rows[0].notes[0].startswith("As Viewer; the link works until ")
    assert [(line.label, line.old, line.new) for line in rows[1].lines] == [
        ("Role", "Consultant", "Viewer")
    ]
