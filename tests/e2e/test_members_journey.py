"""Members without the site administrator, in real browsers (issue 18).

Hanako (manager of さくら商事) invites a consultant by link and copies it. A second browser
context with no session — 田中 太郎, who has no account — opens the link, creates an account
and lands on his home page as a consultant of さくら商事. Hanako sees him among the members and
the invitation accepted by him; she makes him a viewer (his home page no longer offers a new
assessment), then removes him after confirming: his next page no longer shows the organisation,
and the link he used is a plain 404. The history on the members page names every step."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from outsourcing_advisor.accounts.models import Membership, Organisation, Role
from tests.e2e.browser import TIMEOUT_MS, save_screenshot, sign_in
from tests.factories import make_member

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

ORGANISATION = "さくら商事"
PASSWORD = "sakura-shoji-2026-haru"


@pytest.fixture
def sakura() -> Organisation:
    organisation = Organisation.objects.create(name=ORGANISATION)
    for username, role in (("hanako", Role.MANAGER), ("kenji", Role.CONSULTANT)):
        make_member(username, organisation, role, language="ja")
    return organisation


def shot(page, name: str) -> None:
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, name, folder=Path(folder))


def test_hanako_invites_taro_who_joins_then_she_changes_his_role_and_removes_him(
    page, browser, live_server, sakura
):
    base = live_server.url
    members_page = f"{base}/accounts/organisations/{sakura.pk}/members/"
    sign_in(page, base, "hanako")
    page.locator(f"a[href='/accounts/organisations/{sakura.pk}/members/']").click()
    assert page.locator("[data-member=kenji] select").input_value() == "consultant"

    # Hanako invites a consultant for 田中さん's address; the link is shown once, to copy.
    page.check("#invite-role-consultant")
    page.fill("#id_email", "taro@sakura.example.jp")
    page.locator("button[name=action][value=copy]").click()
    url = page.locator("#invitation-link").input_value()
    assert url.startswith(base + "/join/")
    assert "コンサルタント" in page.locator("h1").inner_text()
    shot(page, "members-invitation-issued")

    # 田中さん, in a browser with no session, creates his account and joins.
    taro_context = browser.new_context(locale="ja-JP")
    taro = taro_context.new_page()
    taro.set_default_timeout(TIMEOUT_MS)
    taro.goto(url)
    assert ORGANISATION in taro.locator("h1").inner_text()
    assert "コンサルタント" in taro.locator("[data-invited]").inner_text()
    assert taro.locator("#id_email").input_value() == "taro@sakura.example.jp"
    taro.fill("#id_username", "taro")
    taro.fill("#id_last_name", "田中")
    taro.fill("#id_first_name", "太郎")
    taro.fill("#id_password1", PASSWORD)
    taro.fill("#id_password2", PASSWORD)
    shot(taro, "members-join")
    taro.locator("button[data-join]").click()
    taro.wait_for_url(base + "/")
    assert f"{ORGANISATION}へようこそ" in taro.locator("main").inner_text()
    assert taro.locator("[data-role=consultant]").inner_text() == "コンサルタント"
    assert taro.locator("a[href$='/assessments/new/']").count() == 1

    # Hanako sees him, and the invitation accepted by him.
    page.goto(members_page)
    row = page.locator("[data-member=taro]")
    assert "田中 太郎" in row.inner_text()
    page.locator("#invitations details summary").click()
    assert "田中 太郎" in page.locator("[data-state=accepted]").inner_text()

    # She makes him a viewer: his home page no longer offers a new assessment.
    row.locator("select").select_option("viewer")
    row.locator("button").click()
    page.wait_for_load_state()
    assert "閲覧者に変更しました" in page.locator("main .alert").first.inner_text()
    taro.reload()
    assert taro.locator("[data-role=viewer]").inner_text() == "閲覧者"
    assert taro.locator("a[href$='/assessments/new/']").count() == 0

    # She removes him, after confirming.
    page.locator("[data-member=taro] a[href$='/remove/']").click()
    assert "田中 太郎" in page.locator("h1").inner_text()
    page.locator("button[data-remove]").click()
    page.wait_for_url(members_page + "#members")
    assert page.locator("[data-member=taro]").count() == 0
    assert not Membership.objects.filter(user__username="taro").exists()
    history = page.locator("#history").inner_text()
    for words in ("発行", "受理", "コンサルタント → 閲覧者", "削除"):
        assert words in history, words
    shot(page, "members-page")

    # His next page no longer shows さくら商事; the link he used is a plain 404.
    taro.reload()
    assert ORGANISATION not in taro.locator("main").inner_text()
    assert taro.goto(url).status == 404
    taro_context.close()
