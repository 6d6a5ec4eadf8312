"""Joining through an invitation's link (issue 18), /join/<token>/: Hanako, the manager of Sakura
Trading, invites; 田中 太郎, who has no account, creates one there and can sign in with the role;
the outsider (an existing user, manager of Midori Seiki) joins with a click; Kenji, a member
already, is told so. The page is a door to the outside: any token that finds no working
invitation (unknown, malformed, expired, revoked, used) gets the same plain 404, an address is
limited, CSRF is checked, and the token stays out of caches and other sites' referrers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outsourcing_advisor.accounts.models import Invitation, Membership, Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.members import services as members
from tests.helpers import client_for
from vendors.web import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "sakura-shoji-2026-haru"
PAYLOAD = "\"'><b id=xss>"


def join_url(token: str) -> str:
    return reverse("join", args=[token])


def html(response) -> str:
    return response.content.decode()


def account(**changes: str) -> dict[str, str]:
    """What 田中 太郎 types to create his account."""
    return {
        "username": "taro",
        "last_name": "田中",
        "first_name": "太郎",
        "email": "taro@sakura.example.jp",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


@pytest.fixture
def token(company_a, manager) -> str:
    """Hanako's invitation to join as a consultant."""
    return members.invite(company_a, Role.CONSULTANT, manager, email="taro@sakura.example.jp")[1]


@pytest.fixture
def visitor() -> Client:
    """A browser without an account or a session."""
    return Client()


def test_a_new_visitor_joins_and_can_sign_in_with_the_role(visitor, token, company_a, manager):
    visitor.cookies["django_language"] = "en"
    page = html(visitor.get(join_url(token)))
    assert "Sakura Trading" in page and "as Consultant" in page
    assert 'value="taro@sakura.example.jp"' in page  # the address it was sent to, to keep
    response = visitor.post(join_url(token), account())
    assert response.status_code == 302 and response["Location"] == reverse("home")
    taro = User.objects.get(username="taro")
    assert (taro.last_name, taro.first_name, taro.email) == (
        "田中",
        "太郎",
        "taro@sakura.example.jp",
    )
    assert taro.check_password(PASSWORD) and not taro.is_staff
    assert Membership.objects.get(user=taro).role == Role.CONSULTANT
    assert taro.profile.language == "en"  # the language he joined in
    # Signed in at once, welcomed on the home page.
    home = html(visitor.get(reverse("home")))
    assert "Welcome to Sakura Trading: you are a member as Consultant." in home
    # And later with the password he chose, with the consultant's rights.
    later = Client()
    response = later.post(reverse("login"), {"username": "taro", "password": PASSWORD})
    assert response.status_code == 302
    home = html(later.get(reverse("home")))
    assert (
        'data-role="consultant"' in home
        and reverse("assessment_create", args=[company_a.pk]) in home
    )
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == taro and invitation.accepted_at is not None
    event = Event.objects.get(subject_type=SubjectType.INVITATION, action=Action.ACCEPTED)
    assert (event.actor, event.organisation, event.assessment) == (taro, company_a, None)
    assert event.details["member"] == "太郎 田中"  # as his English page names him


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password1": "20260401", "password2": "20260401"}, "This password is entirely numeric."),
        (
            {"username": "tanakataro", "password1": "tanakataro1", "password2": "tanakataro1"},
            "too similar to the username",
        ),
        ({"password2": "something-else-2026"}, "The two password fields didn’t match."),
        ({"username": "hanako"}, "A user with that username already exists."),
        ({"last_name": ""}, "This field is required."),
        ({"email": "not an address"}, "Enter a valid email address."),
    ],
)
def test_the_account_is_checked_as_django_checks_passwords(
    visitor, token, manager, changes, message
):
    visitor.cookies["django_language"] = "en"
    response = visitor.post(join_url(token), account(**changes))
    assert response.status_code == 200 and message in html(response)
    assert not User.objects.filter(username="taro").exists()
    assert members.find(token) is not None  # still unused


def test_an_existing_user_joins_with_one_click(
    outsider_client, outsider, token, company_a, company_b
):
    page = html(outsider_client.get(join_url(token)))
    assert "Join as outsider" in page and "data-accept" in page
    assert 'name="password1"' not in page
    # An account form posted from a page shown before signing in does not join them.
    assert outsider_client.post(join_url(token), account()).status_code == 200
    assert not Membership.objects.filter(user=outsider, organisation=company_a).exists()
    response = outsider_client.post(join_url(token), {"action": "accept"})
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider, organisation=company_a).role == Role.CONSULTANT
    assert Membership.objects.get(user=outsider, organisation=company_b).role == Role.MANAGER
    assert (
        outsider_client.get(reverse("organisation_members", args=[company_a.pk])).status_code == 200
    )


def test_a_visitor_with_an_account_signs_in_then_joins(visitor, outsider, token, company_a):
    page = html(visitor.get(join_url(token)))
    sign_in = f"{reverse('login')}?next={join_url(token)}"
    assert f'href="{sign_in}"' in page
    response = visitor.post(
        sign_in,
        {
            "username": "outsider",
            "password": "correct-horse-battery-staple",
            "next": join_url(token),
        },
    )
    assert response["Location"] == join_url(token)
    visitor.post(join_url(token), {"action": "accept"})
    assert Membership.objects.filter(user=outsider, organisation=company_a).exists()


def test_a_member_already_is_told_so_and_the_invitation_stays_unused(consultant_client, token):
    page = html(consultant_client.get(join_url(token)))
    assert "data-already" in page and "as Consultant" in page
    response = consultant_client.post(join_url(token), {"action": "accept"})
    assert response.status_code == 200 and "data-already" in html(response)
    assert members.find(token) is not None
    assert not Event.objects.filter(action=Action.ACCEPTED).exists()


@pytest.fixture
def dead_tokens(company_a, manager, token, visitor) -> list[str]:
    """A token never issued, an expired one, a revoked one, a used one, malformed ones."""
    expired, expired_token = members.invite(company_a, Role.VIEWER, manager)
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    revoked, revoked_token = members.invite(company_a, Role.VIEWER, manager)
    members.revoke_invitation(revoked, manager)
    assert visitor.post(join_url(token), account()).status_code == 302  # used by 田中さん
    return ["A" * members.TOKEN_LENGTH, expired_token, revoked_token, token, "abc", "!" * 43]


def test_every_token_that_finds_no_invitation_gets_the_same_plain_404(
    dead_tokens, monkeypatch, outsider_client
):
    monkeypatch.setattr(throttle, "MISSES", 100)  # not stopped as guessing (tested below)
    for client in (Client(), outsider_client):  # the same body whatever the reason, for each
        bodies = set()
        for dead in dead_tokens:
            for response in (
                client.get(join_url(dead)),
                client.post(join_url(dead), account(username="jiro")),
            ):
                assert response.status_code == 404, dead
                bodies.add(html(response))
        assert len(bodies) == 1
        body = bodies.pop()
        assert "Ask the manager who sent it for a new one." in body
        assert '<section lang="ja"' in body and '<section lang="en">' in body
        assert "Sakura" not in body and "/assessments" not in body
    assert not User.objects.filter(username="jiro").exists()
    assert Membership.objects.filter(user__username="outsider").count() == 1


def test_an_invitation_works_once_even_from_a_page_shown_before(visitor, token, company_a):
    """Two people open the same link; the first joins; the second's form finds it used."""
    other = Client()
    assert other.get(join_url(token)).status_code == 200
    assert visitor.post(join_url(token), account()).status_code == 302
    response = other.post(join_url(token), account(username="jiro", email=""))
    assert response.status_code == 404
    assert not User.objects.filter(username="jiro").exists()
    assert set(company_a.memberships.values_list("user__username", flat=True)) == {"hanako", "taro"}


def test_accept_refuses_an_invitation_used_meanwhile(token, company_a, outsider, viewer):
    invitation = members.find(token)
    members.accept(invitation, outsider)
    with pytest.raises(members.Closed):
        members.accept(invitation, User(username="late"))
    assert not User.objects.filter(username="late").exists()


def test_the_page_keeps_the_token_out_of_caches_and_referrers(visitor, token, monkeypatch):
    responses = [visitor.get(join_url(token)), visitor.get(join_url("B" * 43))]
    monkeypatch.setattr(throttle, "REQUESTS_PER_MINUTE", 0)
    responses.append(visitor.get(join_url(token)))
    assert [r.status_code for r in responses] == [200, 404, 429]
    for response in responses:
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "<script" not in html(response)


def test_a_post_without_the_csrf_token_is_refused(token):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(join_url(token))
    assert browser.post(join_url(token), account()).status_code == 403
    assert not User.objects.filter(username="taro").exists()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(page)).group(1)
    assert (
        browser.post(join_url(token), {**account(), "csrfmiddlewaretoken": csrf}).status_code == 302
    )


def test_an_address_guessing_tokens_is_stopped(visitor, token, monkeypatch):
    monkeypatch.setattr(throttle, "MISSES", 2)
    for guess in ("C" * 43, "D" * 43):
        assert visitor.get(join_url(guess)).status_code == 404
    stopped = visitor.get(join_url(token))  # even a working invitation, for a while
    assert stopped.status_code == 429 and int(stopped["Retry-After"]) > 0
    assert "Too many requests from your network." in html(stopped)
    assert Client(REMOTE_ADDR="192.0.2.9").get(join_url(token)).status_code == 200
    # The vendors' door counts apart.
    assert visitor.get("/v/" + "E" * 43 + "/").status_code == 404


def test_an_address_asking_too_often_gets_a_429(visitor, token, monkeypatch):
    monkeypatch.setattr(throttle, "REQUESTS_PER_MINUTE", 3)
    assert [visitor.get(join_url(token)).status_code for _ in range(3)] == [200] * 3
    assert visitor.get(join_url(token)).status_code == 429


def test_what_people_typed_is_escaped(visitor, company_a, manager):
    company_a.name = PAYLOAD
    company_a.save()
    manager.last_name = manager.first_name = PAYLOAD
    manager.save()
    token = members.invite(company_a, Role.VIEWER, manager, email="x@example.jp")[1]
    page = html(visitor.get(join_url(token)))
    assert "<b id=xss" not in page and "&lt;b id=xss&gt;" in page
    response = visitor.post(join_url(token), account(last_name=PAYLOAD, first_name=PAYLOAD))
    assert response.status_code == 302
    members_page = html(
        client_for(manager).get(reverse("organisation_members", args=[company_a.pk]))
    )
    assert "<b id=xss" not in members_page and "&lt;b id=xss&gt;" in members_page
