"""Working together (issue 18): comments on a task and on a package with @mentions, a task's check
assigned to a member, 「自分の担当」 (my work), and the mails they send when a mail server is set.

The people: 山田 花子 (hanako, manager of company A), 佐藤 健二 (kenji, consultant of A and B),
山本 由紀 (yuki, consultant of A, reads the pages in Japanese), 鈴木 一郎 (viewer of A) and the
outsider, who manages company B only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.domain import mentions
from assessments.models import Assessment, Comment, Package, Task, collaboration
from outsourcing_advisor.accounts.models import Membership, Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import make_member, make_package, make_task
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def named(user: User, family: str, given: str, email: str = "") -> User:
    user.last_name, user.first_name, user.email = family, given, email
    user.save()
    return user


@pytest.fixture
def hanako(manager) -> User:
    return named(manager, "山田", "花子", "hanako@sakura.example.jp")


@pytest.fixture
def kenji(consultant) -> User:
    return named(consultant, "佐藤", "健二", "kenji@sakura.example.jp")


@pytest.fixture
def yuki(company_a) -> User:
    user = make_member("yuki", company_a, Role.CONSULTANT, language="ja")
    return named(user, "山本", "由紀", "yuki@sakura.example.jp")


@pytest.fixture
def ichiro(viewer) -> User:
    return named(viewer, "鈴木", "一郎")


@pytest.fixture
def people(hanako, kenji, yuki, ichiro) -> None:
    """Everyone of company A, named."""


@pytest.fixture
def payroll(assessment) -> Task:
    return assessment.tasks.get(task="Collect timesheets")


@pytest.fixture
def package(assessment) -> Package:
    return make_package(assessment, "bpo", "BPO: 人事部")


@pytest.fixture
def mail_server(settings):
    settings.EMAIL_HOST = "smtp.sakura.example.jp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def page(response) -> str:
    return response.content.decode()


def comments_url(assessment: Assessment, task: Task) -> str:
    return reverse("task_comments", args=[assessment.pk, task.pk])


def check_url(assessment: Assessment, task: Task) -> str:
    return reverse("task_check", args=[assessment.pk, task.pk])


def assign_url(assessment: Assessment, task: Task) -> str:
    return reverse("task_assign", args=[assessment.pk, task.pk])


def assign(client, task: Task, user: User | None, current: User | None = None):
    return client.post(
        assign_url(task.assessment, task),
        {"assignee": user.pk if user else "", "current": current.pk if current else ""},
        follow=True,
    )


# --- reading mentions ---------------------------------------------------------------------------

SATO = mentions.person(1, "kenji", "佐藤", "健二")
YAMAMOTO = mentions.person(2, "yuki", "山本", "由紀")
SATO_TOO = mentions.person(3, "sato2", "佐藤", "健二")


@pytest.mark.parametrize(
    "text",
    [
        "@佐藤 健二さん、確認をお願いします。",
        "@佐藤健二 さん",
        "＠佐藤　健二さん",  # full-width mark and space, as a Japanese input method types them
        "@kenji please",
        "@KENJI",
        "@健二 佐藤",
        "確認お願いします@佐藤 健二",
    ],
)
def test_a_member_is_mentioned_by_user_name_or_full_name(text):
    found = mentions.find(text, [SATO, YAMAMOTO])
    assert found.mentioned == (1,) and not found.refused


def test_two_members_and_an_address_that_is_no_mention():
    found = mentions.find("@由紀 山本 と @kenji へ。連絡先 taro@example.co.jp", [SATO, YAMAMOTO])
    assert found.mentioned == (2, 1) and not found.refused


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("@佐藤さん 確認お願いします", ("@佐藤さん",)),  # the family name alone is no one's name
        ("@kenji2", ("@kenji2",)),  # a longer user name is not kenji's
        ("@田中、@tanaka。", ("@田中", "@tanaka")),
    ],
)
def test_a_name_that_is_nobodys_is_unknown(text, unknown):
    found = mentions.find(text, [SATO, YAMAMOTO])
    assert found.unknown == unknown and found.refused


def test_a_name_two_members_share_is_ambiguous_but_their_user_names_are_not():
    assert mentions.find("@佐藤 健二", [SATO, SATO_TOO]).ambiguous == ("@佐藤 健二",)
    assert mentions.find("@sato2", [SATO, SATO_TOO]).mentioned == (3,)


def test_a_lone_mark_mentions_nobody():
    found = mentions.find("メール @ 会議室 or @@", [SATO])
    assert found.mentioned == () and not found.refused


# --- comments on a task ---------------------------------------------------------------------------


def test_kenji_comments_on_a_task_mentioning_yuki(assessment, payroll, people, kenji, yuki):
    client = client_for(kenji)
    body = "@山本 由紀さん 勤怠の締め日を確認してください。"
    response = client.post(comments_url(assessment, payroll), {"body": body}, follow=True)
    assert "Comment added." in page(response)
    comment = Comment.objects.get()
    assert (comment.task, comment.package, comment.author, comment.body) == (
        payroll,
        None,
        kenji,
        body,
    )
    assert list(comment.mentions.all()) == [yuki]
    shown = page(client.get(check_url(assessment, payroll)))
    assert '<mark class="mention">@山本 由紀</mark>さん 勤怠の締め日を確認してください。' in shown
    assert f'id="comment-{comment.pk}"' in shown and "健二 佐藤" in shown  # given name first
    event = Event.objects.get(subject_type=SubjectType.COMMENT)
    assert (event.action, event.subject_id, event.actor) == (Action.CREATED, comment.pk, kenji)
    assert event.details == {
        "on": "task",
        "subject": "Collect timesheets",
        "mentions": ["由紀 山本"],
    }
    history = page(client.get(reverse("assessment_history", args=[assessment.pk])))
    assert "On the task “Collect timesheets”." in history and "Mentioned: 由紀 山本." in history


def test_the_names_follow_the_readers_language(assessment, payroll, people, kenji, yuki):
    collaboration.add_comment(assessment, kenji, "@yuki お願いします", task=payroll)
    japanese = page(client_for(yuki).get(check_url(assessment, payroll)))
    assert "佐藤 健二" in japanese  # the author, family name first
    english = page(client_for(kenji).get(check_url(assessment, payroll)))
    assert "健二 佐藤" in english


def test_an_unknown_name_is_refused_and_named(assessment, payroll, people, kenji):
    client = client_for(kenji)
    response = client.post(
        comments_url(assessment, payroll), {"body": "@田中さん 確認お願いします"}, follow=True
    )
    assert "No member of this organisation is called “@田中さん”." in page(response)
    assert not Comment.objects.exists()
    assert not Event.objects.filter(subject_type=SubjectType.COMMENT).exists()


def test_a_member_of_another_organisation_cannot_be_mentioned(
    assessment, payroll, people, kenji, outsider
):
    response = client_for(kenji).post(
        comments_url(assessment, payroll), {"body": "@outsider ご確認ください"}, follow=True
    )
    assert "No member of this organisation is called “@outsider”." in page(response)
    assert not Comment.objects.exists()


def test_a_refused_comment_stays_in_the_box_when_the_page_updates_in_place(
    assessment, payroll, people, kenji
):
    response = client_for(kenji).post(
        comments_url(assessment, payroll),
        {"body": "@誰か 確認お願いします"},
        headers={"HX-Request": "true"},
    )
    shown = page(response)
    assert shown.startswith('<section class="card mb-3" id="comments"')
    assert "@誰か 確認お願いします</textarea>" in shown and "“@誰か”" in shown
    assert "is-invalid" in shown and not Comment.objects.exists()


def test_an_added_comment_comes_back_in_place_with_an_empty_box(assessment, payroll, people, kenji):
    response = client_for(kenji).post(
        comments_url(assessment, payroll), {"body": "確認しました"}, headers={"HX-Request": "true"}
    )
    shown = page(response)
    assert "確認しました</p>" in shown and "></textarea>" in shown
    assert "Comment added." in shown  # announced to screen readers


def test_a_comment_is_text_however_it_looks(assessment, payroll, people, kenji, yuki):
    body = '<script>alert("x")</script> @yuki <b>太字</b>'
    client_for(kenji).post(comments_url(assessment, payroll), {"body": body})
    shown = page(client_for(yuki).get(check_url(assessment, payroll)))
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in shown
    assert '<script>alert("x")' not in shown and "<b>太字</b>" not in shown
    assert '<mark class="mention">@yuki</mark>' in shown
    mine = page(client_for(yuki).get(reverse("my_work")))
    assert "&lt;script&gt;" in mine and '<script>alert("x")' not in mine


def test_an_empty_or_too_long_comment_is_refused(assessment, payroll, people, kenji):
    client = client_for(kenji)
    assert "Write the comment first." in page(
        client.post(comments_url(assessment, payroll), {"body": "   "}, follow=True)
    )
    too_long = page(
        client.post(comments_url(assessment, payroll), {"body": "あ" * 2001}, follow=True)
    )
    assert "at most 2000 characters" in too_long
    assert not Comment.objects.exists()


def test_a_viewer_may_comment_but_not_assign(assessment, payroll, people, ichiro, yuki):
    client = client_for(ichiro)
    client.post(comments_url(assessment, payroll), {"body": "@yuki 質問です"})
    assert Comment.objects.get().author == ichiro
    assert assign(client, payroll, yuki).status_code == 403
    shown = page(client.get(check_url(assessment, payroll)))
    assert "data-comment-form" in shown and 'name="assignee"' not in shown
    assert "Check assigned to: <strong data-assignee-name>nobody</strong>" in shown


def test_the_check_page_takes_as_many_queries_for_many_comments_as_for_one(
    assessment, payroll, people, kenji, yuki, hanako
):
    client = client_for(yuki)

    def count() -> int:
        client.get(check_url(assessment, payroll))  # the session and the language, once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(check_url(assessment, payroll)).status_code == 200
        return len(queries)

    collaboration.add_comment(assessment, kenji, "@yuki 一件目", task=payroll)
    one = count()
    for number in range(5):
        author = (kenji, hanako)[number % 2]
        collaboration.add_comment(assessment, author, f"@yuki @hanako {number}", task=payroll)
    assert count() == one


def test_the_inventory_row_names_who_has_the_check_after_an_edit_in_place(
    assessment, payroll, people, kenji, yuki
):
    assessment.assign_check(payroll, yuki, kenji)
    row = client_for(kenji).get(reverse("task_row", args=[assessment.pk, payroll.pk]))
    assert '<span class="visually-hidden">Check assigned to: </span>由紀 山本</span>' in page(row)


# --- comments on a package ------------------------------------------------------------------------


def test_hanako_comments_on_a_package(assessment, package, people, hanako, kenji):
    client = client_for(hanako)
    url = reverse("package_comments", args=[assessment.pk, package.pk])
    client.post(url, {"body": "@佐藤健二 見積もりの依頼先を相談させてください"})
    comment = Comment.objects.get()
    assert (comment.package, comment.task, list(comment.mentions.all())) == (package, None, [kenji])
    shown = page(client.get(reverse("package_vendors", args=[assessment.pk, package.pk])))
    assert '<mark class="mention">@佐藤健二</mark> 見積もりの依頼先を相談させてください' in shown
    event = Event.objects.get(subject_type=SubjectType.COMMENT)
    assert event.details["on"] == "package" and event.details["subject"] == "BPO: 人事部"


# --- deleting one's own comment -------------------------------------------------------------------


def test_only_the_author_deletes_a_comment(assessment, payroll, people, kenji, hanako):
    comment = collaboration.add_comment(assessment, kenji, "下書きです", task=payroll)
    url = reverse("comment_delete", args=[assessment.pk, comment.pk])
    assert client_for(hanako).post(url).status_code == 403
    assert "data-comment-delete" not in page(client_for(hanako).get(check_url(assessment, payroll)))
    response = client_for(kenji).post(url, follow=True)
    assert "Comment deleted." in page(response) and not Comment.objects.exists()
    deleted = Event.objects.get(subject_type=SubjectType.COMMENT, action=Action.DELETED)
    assert deleted.subject_repr == "下書きです" and deleted.actor == kenji


# --- assigning a task's check ---------------------------------------------------------------------


def test_kenji_assigns_the_check_to_yuki_then_to_nobody(assessment, payroll, people, kenji, yuki):
    client = client_for(kenji)
    response = assign(client, payroll, yuki)
    assert "The check of “Collect timesheets” is now assigned to 由紀 山本." in page(response)
    payroll.refresh_from_db()
    assert payroll.check_assignee == yuki
    assert f'<option value="{yuki.pk}" selected>由紀 山本</option>' in page(response)
    inventory = page(client.get(reverse("inventory", args=[assessment.pk])))
    assert 'data-assignee title="Check assigned to: 由紀 山本"' in inventory
    response = assign(client, payroll, None, current=yuki)
    assert "is no longer assigned to anyone" in page(response)
    payroll.refresh_from_db()
    assert payroll.check_assignee is None
    events = Event.objects.filter(action=Action.ASSIGNED).order_by("pk")
    assert [e.changes for e in events] == [
        [{"field": "check_assignee", "old": "", "new": "由紀 山本"}],
        [{"field": "check_assignee", "old": "由紀 山本", "new": ""}],
    ]
    history = page(client.get(reverse("assessment_history", args=[assessment.pk])))
    assert "Check assigned to" in history


def test_assigning_does_not_touch_the_tasks_stamp(assessment, payroll, people, kenji, yuki):
    before = Task.objects.get(pk=payroll.pk).updated_at
    assessment.assign_check(payroll, yuki, kenji)
    assert Task.objects.get(pk=payroll.pk).updated_at == before


def test_a_check_goes_only_to_a_manager_or_consultant_of_the_organisation(
    assessment, payroll, people, kenji, ichiro, outsider
):
    client = client_for(kenji)
    response = assign(client, payroll, ichiro)
    assert "鈴木 一郎 cannot be given the check" not in page(response)  # English order
    assert "一郎 鈴木 cannot be given the check" in page(response)
    response = assign(client, payroll, outsider)
    assert "cannot be given the check" in page(response)
    assert client.post(assign_url(assessment, payroll), {"assignee": "99999"}).status_code == 302
    payroll.refresh_from_db()
    assert payroll.check_assignee is None
    assert not Event.objects.filter(action=Action.ASSIGNED).exists()


def test_a_check_given_meanwhile_by_someone_else_is_not_overwritten(
    assessment, payroll, people, kenji, hanako, yuki
):
    assessment.assign_check(payroll, hanako, hanako)
    response = assign(client_for(kenji), payroll, yuki, current=None)  # kenji's page said nobody
    assert "Meanwhile someone else gave this check to 花子 山田: nothing was changed." in page(
        response
    )
    payroll.refresh_from_db()
    assert payroll.check_assignee == hanako


def test_someone_made_a_viewer_still_shows_as_having_the_check(
    assessment, payroll, people, kenji, yuki
):
    assessment.assign_check(payroll, yuki, kenji)
    Membership.objects.filter(user=yuki).update(role=Role.VIEWER)
    shown = page(client_for(kenji).get(check_url(assessment, payroll)))
    assert f'<option value="{yuki.pk}" selected>由紀 山本 (no longer a manager or consultant)' in (
        shown
    )


# --- 「自分の担当」 (my work) --------------------------------------------------------------------


@pytest.fixture
def midori(company_b, kenji) -> Assessment:
    """Company B's assessment with one task, checked by kenji (a consultant of both)."""
    assessment = Assessment.objects.start(organisation=company_b, name="みどり 2026")
    make_task(
        assessment, department="製造部", process="購買", task="発注書の作成", category="other"
    )
    assessment.recompute_results()
    return assessment


def test_my_work_for_yuki_and_for_kenji(assessment, midori, people, kenji, yuki, hanako):
    payroll, reception = assessment.tasks.order_by("position")
    assessment.assign_check(payroll, yuki, hanako)
    assessment.assign_check(reception, kenji, hanako)
    ordering = midori.tasks.get()
    midori.assign_check(ordering, kenji, kenji)
    collaboration.add_comment(assessment, kenji, "@山本 由紀 締め日の確認を", task=payroll)
    collaboration.add_comment(assessment, hanako, "@yuki @kenji 明日までに", task=reception)

    yukis = page(client_for(yuki).get(reverse("my_work")))
    assigned, mentioned = yukis.split("data-mentions-list")
    assert "Collect timesheets" in assigned and "Greet visitors" not in assigned
    assert check_url(assessment, payroll) in assigned
    assert mentioned.index("明日までに") < mentioned.index("締め日の確認を")  # newest first
    assert f"{check_url(assessment, payroll)}#comment-" in mentioned

    kenjis = page(client_for(kenji).get(reverse("my_work")))
    assigned, mentioned = kenjis.split("data-mentions-list")
    assert "Greet visitors" in assigned and "発注書の作成" in assigned
    assert "Collect timesheets" not in assigned
    assert "Midori Seiki" in assigned and "Sakura Trading" in assigned
    assert "明日までに" in mentioned and "締め日の確認を" not in mentioned

    hanakos = page(client_for(hanako).get(reverse("my_work")))
    assert "data-no-assigned" in hanakos and "data-no-mentions" in hanakos


def test_my_work_forgets_an_organisation_one_has_left(assessment, midori, people, kenji):
    midori.assign_check(midori.tasks.get(), kenji, kenji)
    Membership.objects.filter(user=kenji, organisation=midori.organisation).delete()
    assert "発注書の作成" not in page(client_for(kenji).get(reverse("my_work")))


def test_my_work_takes_as_many_queries_for_many_rows_as_for_one(assessment, people, kenji, yuki):
    def count() -> int:
        client = client_for(yuki)
        client.get(reverse("my_work"))  # the session and the language are read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("my_work")).status_code == 200
        return len(queries)

    tasks = list(assessment.tasks.order_by("position"))
    assessment.assign_check(tasks[0], yuki, kenji)
    collaboration.add_comment(assessment, kenji, "@yuki 一件目", task=tasks[0])
    few = count()
    other = Assessment.objects.start(organisation=assessment.organisation, name="2027")
    for number in range(5):
        task = make_task(other, task=f"作業{number}", position=number)
        other.assign_check(task, yuki, kenji)
        collaboration.add_comment(other, kenji, f"@yuki {number}件目 @kenji", task=task)
    assert count() == few


def test_the_navbar_leads_to_my_work(assessment, people, kenji):
    shown = page(client_for(kenji).get(reverse("assessment_detail", args=[assessment.pk])))
    assert f'href="{reverse("my_work")}"' in shown and ">My work</a>" in shown


# --- outsiders ------------------------------------------------------------------------------------


def test_an_outsider_finds_none_of_it(assessment, payroll, package, people, kenji, outsider):
    comment = collaboration.add_comment(assessment, kenji, "社内向けのメモ", task=payroll)
    client = client_for(outsider)
    for url in (
        comments_url(assessment, payroll),
        reverse("package_comments", args=[assessment.pk, package.pk]),
        reverse("comment_delete", args=[assessment.pk, comment.pk]),
        assign_url(assessment, payroll),
    ):
        assert client.post(url, {"body": "x", "assignee": outsider.pk}).status_code == 404, url
    assert Comment.objects.count() == 1
    assert "社内向けのメモ" not in page(client.get(reverse("my_work")))


def test_ids_of_another_assessment_are_not_found(assessment, payroll, package, people, kenji):
    """Kenji belongs to both organisations: a task, package or comment of company A named
    under company B's assessment is no more found than a stranger's."""
    other = Assessment.objects.start(organisation=kenji.memberships.last().organisation, name="B")
    comment = collaboration.add_comment(assessment, kenji, "メモ", task=payroll)
    client = client_for(kenji)
    for url in (
        comments_url(other, payroll),
        reverse("package_comments", args=[other.pk, package.pk]),
        reverse("comment_delete", args=[other.pk, comment.pk]),
        assign_url(other, payroll),
    ):
        assert client.post(url, {"body": "x"}).status_code == 404, url


# --- mail -----------------------------------------------------------------------------------------


def test_a_mention_is_mailed_in_the_recipients_language(
    assessment,
    payroll,
    people,
    kenji,
    yuki,
    hanako,
    mail_server,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(kenji).post(
            comments_url(assessment, payroll), {"body": "@yuki @hanako @kenji 確認お願いします"}
        )
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"yuki@sakura.example.jp", "hanako@sakura.example.jp"}  # not kenji
    japanese, english = by_address["yuki@sakura.example.jp"], by_address["hanako@sakura.example.jp"]
    comment = Comment.objects.get()
    link = f"http://testserver{check_url(assessment, payroll)}#comment-{comment.pk}"
    assert link in japanese.body and link in english.body
    assert "確認お願いします" in japanese.body
    assert english.subject == "健二 佐藤 mentioned you: the task “Collect timesheets”"
    assert "mentioned you in a comment" in english.body
    assert "佐藤 健二" in japanese.subject  # the author as Japanese name them, family name first


def test_an_assignment_is_mailed_to_the_new_assignee(
    assessment, payroll, people, kenji, yuki, mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign(client_for(kenji), payroll, yuki)
    (sent,) = mail.outbox
    assert sent.to == ["yuki@sakura.example.jp"]
    assert f"http://testserver{check_url(assessment, payroll)}" in sent.body
    assert "Collect timesheets" in sent.subject and "佐藤 健二" in sent.body
    # Taking the check oneself mails nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(client_for(kenji), payroll, kenji, current=yuki)
    assert mail.outbox == []


def test_without_a_mail_server_nothing_is_sent_and_nothing_fails(
    assessment, payroll, people, kenji, yuki, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        client_for(kenji).post(comments_url(assessment, payroll), {"body": "@yuki 確認を"})
        assign(client_for(kenji), payroll, yuki)
    assert mail.outbox == [] and Comment.objects.count() == 1
    payroll.refresh_from_db()
    assert payroll.check_assignee == yuki


def test_a_mail_server_that_refuses_changes_nothing(
    assessment,
    payroll,
    people,
    kenji,
    yuki,
    mail_server,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    def refused(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP here")

    monkeypatch.setattr(collaboration, "get_connection", refused)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(kenji).post(
            comments_url(assessment, payroll), {"body": "@yuki 確認を"}, follow=True
        )
    assert "Comment added." in page(response) and Comment.objects.count() == 1
    assert mail.outbox == []


def test_a_member_without_an_address_gets_no_mail(
    assessment, payroll, people, kenji, ichiro, mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        collaboration.add_comment(assessment, kenji, "@viewer 見てください", task=payroll)
    assert mail.outbox == [] and Comment.objects.get().mentions.get() == ichiro
