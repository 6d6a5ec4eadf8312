"""Members without the site administrator (issue 18): Hanako, the manager of Sakura Trading,
invites people by link (the role chosen, the link expiring), changes roles and removes members,
and the history records each of it. Kenji (consultant) and the viewer see who belongs, read-only,
and get 403 for every change; an outsider, the manager of Midori Seiki, gets 404. The
organisation always keeps a manager. (Joining through the link: test_join.py.)"""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outsourcing_advisor.accounts.models import Invitation, Membership, Profile, Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.members import services as members
from tests.factories import make_member, make_user
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"/join/([A-Za-z0-9_-]{43})/")
PAYLOAD = "\"'><b id=xss>"


def members_url(organisation) -> str:
    return reverse("organisation_members", args=[organisation.pk])


def role_url(membership: Membership) -> str:
    return reverse("member_role", args=[membership.organisation_id, membership.pk])


def remove_url(membership: Membership) -> str:
    return reverse("member_remove", args=[membership.organisation_id, membership.pk])


def invite_url(organisation) -> str:
    return reverse("invitation_create", args=[organisation.pk])


def revoke_url(invitation: Invitation) -> str:
    return reverse("invitation_revoke", args=[invitation.organisation_id, invitation.pk])


def membership(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def html(response) -> str:
    return response.content.decode()


def in_japanese(user) -> None:
    Profile.objects.filter(user=user).update(language="ja")


def events(subject_type: SubjectType) -> list[Event]:
    return list(Event.objects.filter(subject_type=subject_type).order_by("at", "pk"))


@pytest.fixture
def kenji(consultant, company_a) -> Membership:
    return membership(consultant, company_a)


@pytest.fixture
def hanako(manager, company_a) -> Membership:
    return membership(manager, company_a)


# --- the page and who may do what ---------------------------------------------------------------


def test_every_member_sees_who_belongs_with_roles_in_japanese(
    manager, consultant, viewer_client, viewer, company_a
):
    in_japanese(viewer)
    page = html(viewer_client.get(members_url(company_a)))
    for username, role in (
        ("hanako", "マネージャー"),
        ("kenji", "コンサルタント"),
        ("viewer", "閲覧者"),
    ):
        row = re.search(rf'<li [^>]*data-member="{username}".*?</li>', page, re.S).group(0)
        assert role in row, username
    assert ">manager<" not in page and ">consultant<" not in page
    # Read-only: no invitation, no form, no history.
    assert "data-read-only" in page
    assert invite_url(company_a) not in page and "<select" not in page
    assert 'id="history"' not in page and 'id="invitations"' not in page


def test_the_home_page_names_the_role_in_the_readers_language(manager_client, manager, company_a):
    """The defect: the badge showed the stored value, “manager”, in both languages."""
    badge = re.compile(r'<span class="badge[^"]*" data-role="manager">([^<]*)</span>')
    assert badge.search(html(manager_client.get("/"))).group(1) == "Manager"
    in_japanese(manager)
    assert badge.search(html(manager_client.get("/"))).group(1) == "マネージャー"
    assert members_url(company_a) in html(manager_client.get("/"))


def test_a_manager_sees_the_forms_the_invitations_and_the_history(manager_client, company_a):
    page = html(manager_client.get(members_url(company_a)))
    assert invite_url(company_a) in page
    assert 'id="invitations"' in page and 'id="history"' in page
    assert 'name="days"' in page and 'value="7"' in page
    assert 'value="viewer" checked' in page  # the least a new person may do, unless chosen


@pytest.fixture
def urls(company_a, kenji, manager) -> dict[str, str]:
    invitation, _token = members.invite(company_a, Role.VIEWER, manager)
    return {
        "role": role_url(kenji),
        "remove": remove_url(kenji),
        "invite": invite_url(company_a),
        "revoke": revoke_url(invitation),
    }


@pytest.mark.parametrize("who", ["consultant_client", "viewer_client"])
def test_a_consultant_or_viewer_cannot_manage_members(request, who, urls, kenji, company_a):
    client = request.getfixturevalue(who)
    assert client.get(members_url(company_a)).status_code == 200
    posts = {
        "role": {"role": "manager"},
        "remove": {},
        "invite": {"role": "manager", "days": "7", "action": "copy"},
        "revoke": {},
    }
    for name, data in posts.items():
        assert client.post(urls[name], data).status_code == 403, name
    assert client.get(urls["remove"]).status_code == 403
    kenji.refresh_from_db()
    assert kenji.role == Role.CONSULTANT
    assert Invitation.objects.count() == 1 and Invitation.objects.get().revoked_at is None
    assert not Event.objects.exclude(action=Action.ISSUED).exists()


def test_an_outsider_gets_404_everywhere(outsider_client, urls, company_a, kenji):
    # 405 answers a method the URL never takes, whatever the id: it reveals nothing.
    for url in [members_url(company_a), *urls.values()]:
        statuses = {
            outsider_client.get(url).status_code,
            outsider_client.post(url, {"role": "viewer", "days": "7"}).status_code,
        }
        assert 404 in statuses and statuses <= {404, 405}, (url, statuses)
    assert Membership.objects.filter(pk=kenji.pk).exists()


def test_a_membership_of_another_organisation_is_not_found(
    manager_client, consultant, company_a, company_b
):
    """Kenji also consults for Midori Seiki: Hanako cannot reach that membership through hers."""
    other = membership(consultant, company_b)
    for name in ("member_role", "member_remove"):
        url = reverse(name, args=[company_a.pk, other.pk])
        assert manager_client.post(url, {"role": "viewer"}).status_code == 404, name
    other.refresh_from_db()
    assert other.role == Role.CONSULTANT


# --- inviting -----------------------------------------------------------------------------------


def invite(client, organisation, **data: str):
    return client.post(
        invite_url(organisation), {"role": "consultant", "days": "7", "action": "copy", **data}
    )


def test_hanako_invites_by_link_shown_once_and_stored_only_hashed(
    manager_client, company_a, manager
):
    response = invite(manager_client, company_a, email="taro@sakura.example.jp")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = TOKEN.search(html(response)).group(1)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(Invitation.objects.values()))
    assert (invitation.role, invitation.email, invitation.created_by) == (
        "consultant",
        "taro@sakura.example.jp",
        manager,
    )
    left = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=6, hours=23) < left <= datetime.timedelta(days=7)
    assert 'data-copy="#invitation-link"' in html(response)
    # Never again: the members page lists it working, without its link.
    page = html(manager_client.get(members_url(company_a)))
    assert token not in page
    assert f'data-invitation="{invitation.pk}" data-state="working"' in page
    event = Event.objects.get(subject_type=SubjectType.INVITATION)
    assert (event.action, event.actor, event.assessment, event.organisation) == (
        Action.ISSUED, manager, None, company_a,
    )  # fmt: skip


@pytest.mark.parametrize("days", ["0", "31", "x", ""])
def test_days_outside_1_to_30_are_refused(manager_client, company_a, days):
    response = invite(manager_client, company_a, days=days)
    assert response.status_code == 400
    assert "Valid for: a whole number of days from 1 to 30." in html(response)
    assert "data-problems" in html(response)
    assert not Invitation.objects.exists()


def test_a_bad_role_or_address_is_refused(manager_client, company_a):
    assert invite(manager_client, company_a, role="admin").status_code == 400
    response = invite(manager_client, company_a, email="not an address")
    assert "E-mail: not an address" in html(response)
    assert not Invitation.objects.exists()


def test_the_invitation_is_mailed_when_a_mail_server_is_set(manager_client, company_a, settings):
    settings.EMAIL_HOST = "smtp.example.jp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert 'value="mail"' in html(manager_client.get(members_url(company_a)))
    response = invite(manager_client, company_a, email="taro@sakura.example.jp", action="mail")
    assert "data-mailed" in html(response)
    token = TOKEN.search(html(response)).group(1)
    (sent,) = mail.outbox
    assert sent.to == ["taro@sakura.example.jp"] and f"/join/{token}/" in sent.body
    assert "Sakura Trading" in sent.subject
    # Sending needs an address.
    response = invite(manager_client, company_a, action="mail")
    assert response.status_code == 400 and len(mail.outbox) == 1


def test_without_a_mail_server_nothing_is_mailed(manager_client, company_a, settings):
    settings.EMAIL_HOST = ""
    assert 'value="mail"' not in html(manager_client.get(members_url(company_a)))
    response = invite(manager_client, company_a, email="taro@sakura.example.jp", action="mail")
    assert response.status_code == 200 and "data-mailed" not in html(response)
    assert not mail.outbox


def test_hanako_revokes_an_invitation(manager_client, company_a, manager):
    invitation, token = members.invite(company_a, Role.CONSULTANT, manager)
    response = manager_client.post(revoke_url(invitation), follow=True)
    assert "The invitation no longer works." in html(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and members.find(token) is None
    # Again: nothing more happens, nothing more is recorded.
    response = manager_client.post(revoke_url(invitation), follow=True)
    assert "already stopped working" in html(response)
    assert [e.action for e in events(SubjectType.INVITATION)] == [Action.ISSUED, Action.REVOKED]


def test_the_invitations_are_listed_with_their_states(manager_client, company_a, manager, viewer):
    working, _ = members.invite(company_a, Role.VIEWER, manager, email="a@example.jp")
    expired, _ = members.invite(company_a, Role.VIEWER, manager, email="b@example.jp")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(1)
    )
    revoked, _ = members.invite(company_a, Role.VIEWER, manager, email="c@example.jp")
    members.revoke_invitation(revoked, manager)
    accepted, _ = members.invite(company_a, Role.VIEWER, manager, email="d@example.jp")
    newcomer = make_user("taro")
    newcomer.last_name, newcomer.first_name = "田中", "太郎"
    newcomer.save()
    members.accept(accepted, newcomer)
    page = html(manager_client.get(members_url(company_a)))
    states = dict(re.findall(r'data-invitation="(\d+)" data-state="(\w+)"', page))
    assert states == {
        str(working.pk): "working",
        str(expired.pk): "expired",
        str(revoked.pk): "revoked",
        str(accepted.pk): "accepted",
    }
    row = re.search(rf'data-invitation="{accepted.pk}".*?</li>', page, re.S).group(0)
    assert "by 太郎 田中" in row  # English: given name first
    working_row = re.search(rf'data-invitation="{working.pk}".*?</li>', page, re.S).group(0)
    assert revoke_url(working) in working_row
    assert revoke_url(expired) not in page and revoke_url(accepted) not in page


# --- roles and removal ----------------------------------------------------------------------------


def test_hanako_changes_kenjis_role(manager_client, kenji, consultant, manager):
    response = manager_client.post(role_url(kenji), {"role": "viewer"}, follow=True)
    assert "is now Viewer." in html(response)
    kenji.refresh_from_db()
    assert kenji.role == Role.VIEWER
    (event,) = events(SubjectType.MEMBER)
    assert (event.action, event.actor, event.subject_id, event.assessment) == (
        Action.CHANGED, manager, kenji.pk, None,
    )  # fmt: skip
    assert event.changes == [{"field": "role", "old": "consultant", "new": "viewer"}]
    # Now a viewer, Kenji can no longer change an assessment of the organisation.
    assert client_for(consultant).post(invite_url(kenji.organisation), {}).status_code == 403
    # The same role again changes nothing and records nothing.
    response = manager_client.post(role_url(kenji), {"role": "viewer"}, follow=True)
    assert "is Viewer already." in html(response)
    assert len(events(SubjectType.MEMBER)) == 1
    assert manager_client.post(role_url(kenji), {"role": "owner"}).status_code == 302
    kenji.refresh_from_db()
    assert kenji.role == Role.VIEWER


def test_the_last_manager_can_be_neither_demoted_nor_removed(manager_client, hanako, company_a):
    response = manager_client.post(role_url(hanako), {"role": "consultant"}, follow=True)
    assert "the organisation&#x27;s only manager" in html(response)
    response = manager_client.post(remove_url(hanako), follow=True)
    assert "the organisation&#x27;s only manager" in html(response)
    hanako.refresh_from_db()
    assert hanako.role == Role.MANAGER
    assert not Event.objects.exists()
    # The page offers neither: her row has no select, and the removal page no button.
    page = html(manager_client.get(members_url(company_a)))
    row = re.search(r'<li [^>]*data-member="hanako".*?</li>', page, re.S).group(0)
    assert "<select" not in row and "data-only-manager" in row
    assert "data-remove" not in html(manager_client.get(remove_url(hanako)))


def test_with_a_second_manager_hanako_may_step_down(manager_client, hanako, company_a):
    make_member("yuki", company_a, Role.MANAGER)
    manager_client.post(role_url(hanako), {"role": "consultant"})
    hanako.refresh_from_db()
    assert hanako.role == Role.CONSULTANT
    # No longer a manager: the page is read-only for her, and she can change nothing.
    assert "data-read-only" in html(manager_client.get(members_url(company_a)))
    yuki = Membership.objects.get(user__username="yuki")
    assert manager_client.post(role_url(yuki), {"role": "viewer"}).status_code == 403


def test_two_managers_cannot_demote_each_other_to_none(company_a, hanako, manager):
    yuki = make_member("yuki", company_a, Role.MANAGER)
    members.change_role(membership(yuki, company_a), Role.VIEWER, manager)
    with pytest.raises(members.Refused):
        members.change_role(hanako, Role.VIEWER, yuki)
    with pytest.raises(members.Refused):
        members.remove_member(hanako, manager)
    assert Membership.objects.filter(organisation=company_a, role=Role.MANAGER).count() == 1


def test_hanako_removes_kenji_after_confirming(
    manager_client, kenji, consultant, company_a, company_b, assessment, manager
):
    kenjis = client_for(consultant)
    assert kenjis.get(reverse("assessment_detail", args=[assessment.pk])).status_code == 200
    page = html(manager_client.get(remove_url(kenji)))
    assert "Remove kenji from Sakura Trading?" in page and "data-remove" in page
    response = manager_client.post(remove_url(kenji), follow=True)
    assert "kenji is no longer a member of Sakura Trading." in html(response)
    assert not Membership.objects.filter(pk=kenji.pk).exists()
    assert Membership.objects.filter(user=consultant, organisation=company_b).exists()
    # From his next page on, Sakura Trading is closed to him.
    assert kenjis.get(reverse("assessment_detail", args=[assessment.pk])).status_code == 404
    assert kenjis.get(members_url(company_a)).status_code == 404
    (event,) = events(SubjectType.MEMBER)
    assert (event.action, event.actor, event.subject_repr, event.details) == (
        Action.DELETED, manager, "kenji", {"role": "consultant"},
    )  # fmt: skip
    # Removing him again: he is not found.
    assert manager_client.post(remove_url(kenji)).status_code == 404


def test_a_manager_leaving_goes_home(manager_client, hanako, company_a):
    make_member("yuki", company_a, Role.MANAGER)
    assert "Leave Sakura Trading?" in html(manager_client.get(remove_url(hanako)))
    response = manager_client.post(remove_url(hanako), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "You left Sakura Trading." in html(response)
    assert "You are not a member of any organisation yet." in html(response)


# --- the history on the page, and escaping --------------------------------------------------------


def test_the_page_shows_the_history_of_members_and_invitations(
    manager_client, manager, kenji, company_a
):
    in_japanese(manager)
    invitation, _ = members.invite(
        company_a, Role.CONSULTANT, manager, email="taro@sakura.example.jp"
    )
    members.revoke_invitation(invitation, manager)
    members.change_role(kenji, Role.VIEWER, manager)
    members.remove_member(kenji, manager)
    history = html(manager_client.get(members_url(company_a))).split('id="history"')[1]
    assert history.index("taro@sakura.example.jp") > history.index("kenji")  # newest first
    assert "コンサルタント → 閲覧者" in history
    assert len(re.findall(r"<li class=\"border-bottom", history)) == 4


def test_names_and_addresses_people_typed_are_escaped(
    manager_client, manager, consultant, company_a
):
    consultant.first_name = consultant.last_name = PAYLOAD
    consultant.email = PAYLOAD
    consultant.save()
    members.invite(company_a, Role.VIEWER, manager, email=PAYLOAD)
    members.change_role(membership(consultant, company_a), Role.VIEWER, manager)
    for url in (members_url(company_a), remove_url(membership(consultant, company_a))):
        page = html(manager_client.get(url))
        assert "<b id=xss" not in page and "&lt;b id=xss&gt;" in page, url


def test_the_page_takes_as_many_queries_for_many_members_as_for_few(
    manager_client, company_a, manager
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(members_url(company_a)).status_code == 200
        return len(captured)

    members.invite(company_a, Role.VIEWER, manager)
    few = queries()
    for n in range(12):
        invitation, _ = members.invite(company_a, Role.CONSULTANT, manager, email=f"{n}@x.jp")
        if n % 2:
            members.accept(invitation, make_user(f"member{n}"))
        else:
            members.revoke_invitation(invitation, manager)
    assert queries() == few


def test_the_organisation_settings_page_leads_to_the_members(manager_client, company_a):
    """Members were found only from the home page: the settings page, where a manager looks for
    them, links there too."""
    page = html(manager_client.get(reverse("organisation_settings", args=[company_a.pk])))
    link = re.search(r'data-members-link>.*?href="([^"]+)"', page, re.S)
    assert link and link.group(1) == members_url(company_a)
