"""Working together in real browsers (issue 18).

佐藤 健二 (kenji, consultant of さくら商事) opens the payroll task's check, gives it to 山本 由紀
(yuki) and writes her a comment: typing 「@山」 offers her, Enter puts 「@山本 由紀 」 in the box,
and the comment appears in place with her name highlighted, the box empty again. Yuki signs in
in another browser, opens 「自分の担当」 from the top bar, finds the task among her checks and
the comment among those that mention her, and opens the task: her name is on it as its
assignee, and the comment is there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from assessments.models import Comment, Task
from outsourcing_advisor.accounts.models import Role
from tests.e2e.browser import TIMEOUT_MS, save_screenshot, sign_in
from tests.factories import make_member

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def shot(page, name: str) -> None:
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, name, folder=Path(folder))


@pytest.fixture
def yuki(payroll: Task) -> User:
    """山本 由紀, a consultant of the payroll task's organisation; kenji is 佐藤 健二."""
    User.objects.filter(username="kenji").update(last_name="佐藤", first_name="健二")
    user = make_member("yuki", payroll.assessment.organisation, Role.CONSULTANT, language="ja")
    user.last_name, user.first_name = "山本", "由紀"
    user.save()
    return user


def test_kenji_gives_yuki_the_check_and_mentions_her_then_she_finds_it_in_her_work(
    page, browser, live_server, payroll, yuki
):
    base = live_server.url
    check = f"/assessments/{payroll.assessment_id}/tasks/{payroll.pk}/check/"
    sign_in(page, base, "kenji")
    page.goto(base + check)

    # The check goes to Yuki.
    page.select_option("#id_assignee", str(yuki.pk))
    page.locator("button[data-assign]").click()
    page.wait_for_url(base + check)
    assert page.locator("#id_assignee").input_value() == str(yuki.pk)
    assert Task.objects.get(pk=payroll.pk).check_assignee_id == yuki.pk

    # A comment for her: @ offers the members, Enter picks her.
    box = page.locator("#id_comment_body")
    box.click()
    box.press_sequentially("@山")
    option = page.locator("#mention-list [role=option]").first
    assert "山本 由紀" in option.inner_text()
    assert box.get_attribute("aria-activedescendant") == "mention-list-0"
    box.press("Enter")
    assert box.input_value() == "@山本 由紀 "
    assert page.locator("#mention-list").is_hidden()
    box.press_sequentially("勤怠の締め日を確認してください。")
    shot(page, "collaboration-comment-typed")
    page.locator("button[data-comment-submit]").click()
    comment = page.locator("[data-comment]").first
    comment.wait_for()
    assert comment.locator("mark.mention").inner_text() == "@山本 由紀"
    assert "勤怠の締め日を確認してください。" in comment.inner_text()
    assert box.input_value() == ""
    assert list(Comment.objects.get().mentions.all()) == [yuki]
    shot(page, "collaboration-check-page")

    # Yuki, in her own browser, finds both in 「自分の担当」 and opens the task.
    context = browser.new_context(locale="ja-JP")
    try:
        hers = context.new_page()
        hers.set_default_timeout(TIMEOUT_MS)
        sign_in(hers, base, "yuki")
        hers.locator("a[data-nav=my-work]").click()
        hers.wait_for_url(base + "/my-work/")
        assigned = hers.locator("[data-assigned]")
        assert "勤怠データ集計" in assigned.inner_text()
        mention = hers.locator("[data-mentions-list] [data-mention]").first
        assert "佐藤 健二" in mention.inner_text()
        assert mention.locator("mark.mention").inner_text() == "@山本 由紀"
        shot(hers, "collaboration-my-work")
        assigned.get_by_role("link", name="勤怠データ集計").click()
        hers.wait_for_url(base + check)
        assert hers.locator("#id_assignee").input_value() == str(yuki.pk)
        assert "勤怠の締め日を確認してください。" in hers.locator("[data-comments]").inner_text()
    finally:
        context.close()
