"""The QA walk-through's wording defects (the words part): one name per person, one term per
thing, one date format, values as people write them. Each test would have caught its defect.
Numbers are the QA's (/work/notes/qa.md)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.domain import columns, rule_editing
from assessments.models import Assessment, InventoryImport
from outsourcing_advisor.accounts.models import Organisation, Profile, RevenueBand
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.helpers import SAMPLE_BYTES, bid_url, client_for, upload

pytestmark = pytest.mark.django_db


def named(user: User, family: str, given: str, language: str = "en") -> User:
    """Give the person their name (the demo's: 山田 花子, 佐藤 健二) and their language."""
    user.last_name, user.first_name = family, given
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"language": language})
    return user


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def visible(html: str) -> str:
    """The page's text as read: no tags, so no attribute (a title) counts."""
    return re.sub(r"<[^>]+>", " ", html)


# --- #4: one display name for a person everywhere --------------------------------------------


@pytest.fixture
def imported(assessment: Assessment, manager: User) -> InventoryImport:
    return InventoryImport.objects.create(
        assessment=assessment,
        filename="inventory_sample_ja.csv",
        sha256="",
        rows=35,
        before={"tasks": []},
        imported_by=manager,
    )


@pytest.mark.parametrize(("language", "shown"), [("ja", "山田 花子"), ("en", "花子 山田")])
def test_hanako_is_named_alike_in_the_navbar_the_import_page_and_the_overview(
    manager, assessment, imported, language, shown
):
    client = client_for(named(manager, "山田", "花子", language))
    for url in (
        reverse("home"),
        reverse("import_upload", args=[assessment.pk]),
        reverse("assessment_detail", args=[assessment.pk]),
    ):
        html = page(client, url)
        people = re.findall(r"<span[^>]*data-person[^>]*>([^<]*)</span>", html)
        assert people and set(people) == {shown}, (url, people)
        assert ">hanako<" not in html, url  # never the login ID where a name is set


def test_someone_without_a_name_is_still_shown_by_their_login_id(manager_client, assessment):
    assert '<span class="navbar-text small" data-person>hanako</span>' in page(
        manager_client, reverse("home")
    )


# --- #23: one date format ---------------------------------------------------------------------


def test_the_import_page_dates_its_imports_as_every_other_page_does(
    manager_client, assessment, imported
):
    html = page(manager_client, reverse("import_upload", args=[assessment.pk]))
    stamp = imported.created_at.astimezone().strftime("%Y")  # 2026-12-03 02:42, not 2026年12月3日
    assert re.search(rf"{stamp}-\d\d-\d\d \d\d:\d\d · inventory_sample_ja.csv", html), html[-3000:]
    in_japanese = Client()
    in_japanese.force_login(named(imported.imported_by, "山田", "花子", "ja"))
    assert "年" not in re.search(
        r"<li class=\"mb-1\">([^·]*)·",
        page(in_japanese, reverse("import_upload", args=[assessment.pk])),
    ).group(1)


# --- #3: the ranking's evaluator columns name the people ----------------------------------------


def test_the_rankings_evaluator_columns_are_the_peoples_names_not_their_login_ids(
    consultant_client, ready
):
    assert upload(consultant_client, ready).status_code == 302
    named(User.objects.get(username="manager"), "山田", "花子")
    named(User.objects.get(username="consultant"), "佐藤", "健二")
    package = ready.packages.get(model="bpo")
    evaluator = client_for(User.objects.get(username="consultant"))  # his scores are in the file
    html = page(evaluator, bid_url("package_vendors", package))
    ranking = html[
        html.index('data-table="ranking"') : html.index(
            "</thead>", html.index('data-table="ranking"')
        )
    ]
    headers = re.findall(r'<th scope="col" class="num">([^<]*)</th>', ranking)
    assert "花子 山田" in headers and "健二 佐藤" in headers, headers
    assert "manager" not in headers and "consultant" not in headers
    assert SAMPLE_BYTES  # the demo's sample, whose evaluators are “manager” and “consultant”


# --- #2: the read-only settings say values as people write them ---------------------------------


def test_a_viewer_reads_the_settings_as_labels_and_formatted_figures(viewer, company_a):
    Organisation.objects.filter(pk=company_a.pk).update(
        revenue_band=RevenueBand.FROM_100M, hourly_cost=3200, yearly_hours=1920
    )
    client = client_for(viewer)
    html = page(client, reverse("organisation_settings", args=[company_a.pk]))
    settings = html[html.index("data-settings") : html.index("</dl>")]
    assert "100m_1b" not in settings and "¥100M–1B" in settings
    assert '<dd class="col-sm-7">¥3,200</dd>' in settings
    assert "1,920 hours" in settings and "420 people" in settings and "58 people" in settings
    with translation.override("ja"):
        japanese_band = str(RevenueBand.FROM_100M.label)
    viewer.profile.language = "ja"
    viewer.profile.save()
    html = page(client, reverse("organisation_settings", args=[company_a.pk]))
    assert japanese_band in html and "100m_1b" not in html


# --- #1 and #24: the history's words -------------------------------------------------------------


def test_a_comment_reads_as_posted_and_the_import_without_a_bare_row_count(
    manager_client, manager, assessment, imported
):
    Event.objects.create(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=manager,
        actor_name="花子 山田",
        subject_type=SubjectType.COMMENT,
        subject_id=1,
        subject_repr="Please check the figures",
        action=Action.CREATED,
    )
    html = page(manager_client, reverse("assessment_history", args=[assessment.pk]))
    assert "<strong>Posted a comment</strong> “Please check the figures”" in html
    assert "“Please check the figures”: created" not in html
    assert str(imported) == "inventory_sample_ja.csv"  # no “(35)”: the note says the rows


def test_the_checksum_of_an_imported_file_is_in_a_tooltip_only(manager_client, assessment):
    digest = "b014c41ed40b" + "0" * 52
    Event.objects.create(
        organisation=assessment.organisation,
        assessment=assessment,
        subject_type=SubjectType.INVENTORY,
        subject_id=1,
        subject_repr="棚卸し.csv",
        action=Action.IMPORTED,
        details={"filename": "棚卸し.csv", "sha256": digest, "rows": 35},
    )
    html = page(manager_client, reverse("assessment_history", args=[assessment.pk]))
    assert f'title="SHA-256 {digest}"' in html
    assert digest not in visible(html) and "SHA-256" not in visible(html)
    assert "棚卸し.csv: 35 rows" in visible(html)


# --- #9: one term per thing ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "field",
    ["requirement_changes", "judgment", "tacit_knowledge", "direct_instruction", "expertise"],
)
def test_the_rule_editor_names_each_field_as_the_inventory_does(language, field):
    from assessments.web.forms import TaskForm

    with translation.override(language):
        inventory_label = str(TaskForm().fields[field].label)
        assert rule_editing.FIELDS[field].label == inventory_label == columns.label(field)


def test_the_recommendation_filter_offers_all_recommendations(manager_client, assessment):
    html = page(manager_client, reverse("assessment_detail", args=[assessment.pk]))
    inventory = page(manager_client, reverse("inventory", args=[assessment.pk]))
    assert "All models" not in inventory and "All recommendations" in inventory
    assert html


# --- #28: nothing judged shows a dash -------------------------------------------------------------


def test_an_assessment_with_nothing_judged_shows_dashes_not_zeros(manager_client, assessment):
    html = page(manager_client, reverse("home"))
    row = html[html.index(f'data-assessment="{assessment.pk}"') :]
    row = row[: row.index("</tr>")]
    hours = re.search(r'data-figure="candidate-hours">(.*?)</td>', row, re.S).group(1)
    cost = re.search(r'data-figure="candidate-cost">(.*?)</td>', row, re.S).group(1)
    for cell in (hours, cost):
        assert "—" in cell and "data-not-judged" in cell and "0.0" not in cell and "¥0" not in cell


# --- #27: Django's admin in the product's words ---------------------------------------------------


def test_the_admin_greets_the_administrator_by_name_not_with_a_machine_welcome(admin_user):
    named(admin_user, "田中", "一郎", "en")
    client = client_for(admin_user)
    html = page(client, reverse("admin:index"))
    assert "Signed in as <strong>一郎 田中</strong>" in html and "Welcome," not in html


# --- #30: English wording -----------------------------------------------------------------------


def test_the_exclusion_reasons_start_with_a_capital():
    from vendors.services.selection import EXCLUSION_REASONS, _capital

    for reason in EXCLUSION_REASONS.values():
        assert _capital(str(reason))[0].isupper()


# --- the Japanese these fixes need (po_qa_words.po, po_fix_qa_words.po: merged by the lead) ------


def test_the_admin_in_japanese_names_things_as_the_product_does(admin_user):
    """#27: the section 検討 (not 検討一覧), the model 検討, bids 見積もり, and Django's own
    「変更する 作業 を選択」 without its machine spacing."""
    named(admin_user, "田中", "一郎", "ja")
    client = client_for(admin_user)
    html = page(client, reverse("admin:index"))
    index = visible(html)
    assert "検討一覧" not in index and "アウトソーシング検討" not in index and "応募" not in index
    assert "<strong>田中 一郎</strong>でログイン中" in html and "ようこそ" not in index
    changelist = page(client, reverse("admin:assessments_task_changelist"))
    assert "変更する作業を選択" in changelist and "変更する 作業 を選択" not in changelist


def test_the_japanese_history_says_posted_and_unassigned(manager, assessment):
    """#24: 「コメントを投稿」; a move from no package: 「未割り当て → 外注: 営業企画部」."""
    client = client_for(named(manager, "山田", "花子", "ja"))
    common = {"organisation": assessment.organisation, "assessment": assessment, "actor": manager}
    Event.objects.create(
        **common,
        subject_type=SubjectType.COMMENT,
        subject_id=1,
        subject_repr="数字を確認してください",
        action=Action.CREATED,
    )
    Event.objects.create(
        **common,
        subject_type=SubjectType.TASK,
        subject_id=1,
        subject_repr="勤怠データ集計",
        action=Action.TASKS_MOVED,
        details={"from": "", "to": "外注: 営業企画部"},
    )
    text = visible(page(client, reverse("assessment_history", args=[assessment.pk])))
    assert "コメントを投稿" in text and ": 作成" not in text
    assert "未割り当て → 外注: 営業企画部" in text and "パッケージなし" not in text


def test_the_japanese_nav_offers_the_input_template_and_full_width_punctuation(manager):
    """#28 and #21: 「入力テンプレート（Excel）」; 「年間工数（時間）」「コア／ノンコア判定」."""
    client = client_for(named(manager, "山田", "花子", "ja"))
    assert "入力テンプレート（Excel）" in page(client, reverse("home"))
    with translation.override("ja"):
        assert translation.gettext("Annual hours") == "年間工数（時間）"
        assert translation.gettext("FTE") == "FTE（常勤換算）"
        assert "コア／ノンコア" in translation.gettext("Core/non-core check")
        assert translation.gettext("bid") == "見積もり"
        assert translation.gettext("All recommendations") == "すべての推奨区分"
