"""The QA walk-through's findings on the packages and vendor pages (#8, #18, #19, #20, #29), as
Kenji (consultant) and the viewer meet them. The Japanese assertions read the catalog with
/work/notes/po_qa_packages.po and po_fix_qa_packages.po applied."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Package, Task
from tests.factories import same_quotes
from tests.helpers import bid_url, scores
from tests.helpers import package_url as url
from vendors.domain import scoring
from vendors.reporting import sensitivity

pytestmark = pytest.mark.django_db

DEPARTMENTS = ("人事部", "経理部", "総務部", "法務部", "人事部")


def in_japanese(user) -> None:
    """The user reads the product in Japanese (their profile's choice)."""
    user.profile.language = "ja"
    user.profile.save()


# --- #8: a default name is full, never cut with “…” ---------------------------------------------


def test_a_default_name_names_every_department_up_to_three():
    tasks = [Task(department=name) for name in DEPARTMENTS]
    with translation.override("ja"):
        assert Package.default_name("bpo", tasks[:3]) == "BPO：人事部、経理部、総務部"
    with translation.override("en"):
        assert Package.default_name("ito", tasks[:2]) == "ITO: 人事部, 経理部"


def test_a_default_name_of_many_departments_says_how_many_more_without_an_ellipsis():
    tasks = [Task(department=name) for name in DEPARTMENTS]  # four departments
    with translation.override("ja"):
        assert Package.default_name("bpo", tasks) == "BPO：人事部、経理部ほか2部署"
    with translation.override("en"):
        assert Package.default_name("bpo", tasks) == "BPO: 人事部, 経理部 and 2 other departments"
        assert Package.default_name("bpo", tasks[1:]) == (
            "BPO: 経理部, 総務部 and 2 other departments"
        )


def test_a_default_name_of_long_departments_fits_the_field_in_full_words():
    longest = Package._meta.get_field("name").max_length
    tasks = [Task(department=f"{letter * 90}部") for letter in "ABCDE"]
    with translation.override("en"):
        name = Package.default_name("bpo", tasks)
    assert len(name) <= longest and "…" not in name
    assert name == f"BPO: {'A' * 90}部 and 4 other departments"


def test_created_packages_show_their_full_name_in_the_rename_box(consultant_client, checked):
    task = checked.tasks.get(task="Payroll")
    for position, department in enumerate(("Legal", "Sales", "Office"), start=10):
        task.pk, task.position, task.department = None, position, department
        task.save()
    checked.recompute_results()
    consultant_client.post(url("packages_create", checked))
    bpo = checked.packages.get(model="bpo")
    assert bpo.name == "BPO: HR, Accounting and 3 other departments"
    page = consultant_client.get(url("packages", checked)).content.decode()
    assert f'value="{bpo.name}"' in page and "…" not in bpo.name


# --- #18: the vendor page's Japanese ------------------------------------------------------------


def test_the_stable_box_names_the_winner_once_without_stray_spaces():
    holds = scoring.Sensitivity(winners=("みなとパートナーズ",), stable=True, smallest=None)
    with translation.override("ja"):
        words = sensitivity.stable_words(holds)
        assert words.startswith("安定：") and " " not in words
        assert words.count("みなとパートナーズ") == 1 and "どこまで動かしても" in words
        flips = scoring.Flip("price", Decimal(25), {}, ("あおば",), Decimal(55))
        within = scoring.Sensitivity(("みなとパートナーズ",), True, (), flips)
        assert "±10ポイント動かしても、みなとパートナーズが1位" in sensitivity.stable_words(within)
    with translation.override("en"):
        assert sensitivity.stable_words(holds) == (
            "Stable: moving any single weight, the price weight included, as far as it goes "
            "leaves みなとパートナーズ first."
        )
    assert sensitivity.stable_words(scoring.Sensitivity((), None)) == ""


def test_the_vendor_page_says_the_stable_winner_once(
    manager_client, consultant_client, invited, bpo
):
    mirai_bid, sakura_bid = invited
    same_quotes(mirai_bid, sakura_bid)
    manager_client.post(bid_url("bid_score", bpo, mirai_bid.pk), scores(5))
    consultant_client.post(bid_url("bid_score", bpo, mirai_bid.pk), scores(4))
    manager_client.post(bid_url("bid_score", bpo, sakura_bid.pk), scores(3))
    consultant_client.post(bid_url("bid_score", bpo, sakura_bid.pk), scores(1))
    response = consultant_client.get(bid_url("package_vendors", bpo))
    html = response.content.decode()
    box = re.search(r'data-sensitivity="stable">(.*?)</p>', html)
    assert box and box.group(1) == response.context["stable_words"]
    found = response.context["selection"].sensitivity
    if found.smallest is None:  # said in the box: no second sentence naming the winner again
        assert "data-smallest-flip" not in html
    else:
        assert "data-smallest-flip" in html


def test_the_pricing_model_and_overhead_label_read_as_japanese(
    consultant_client, consultant, invited, bpo
):
    mirai_bid, _sakura_bid = invited
    mirai_bid.pricing_model = "volume"
    mirai_bid.save()
    in_japanese(consultant)
    html = consultant_client.get(bid_url("package_vendors", bpo)).content.decode()
    assert '<td class="keep-words" data-pricing-model>業務委託型（業務量ベース）</td>' in html
    assert "管理コスト率（見積額に対する％）" in html and "パーセント" not in html


# --- #19: the two Save buttons sit the same way -------------------------------------------------


def test_the_overhead_and_horizon_buttons_sit_beside_their_fields(consultant_client, bpo):
    html = consultant_client.get(bid_url("package_vendors", bpo)).content.decode()
    for name in ("overhead", "horizon"):
        form = html.split(f'data-form="{name}"')[1].split("</form>")[0]
        # The label alone above; the field and its button together in one row.
        row = form.split('<div class="d-flex gap-2 align-items-end">')[1]
        assert row.index("<input") < row.index("<button") and "<label" not in row


# --- #20: the packages page's Japanese and the "!" marks ----------------------------------------


def test_the_packages_page_explains_its_marks_and_says_what_answering_gives(
    consultant_client, consultant, checked
):
    checked.create_packages()
    in_japanese(consultant)
    html = consultant_client.get(url("packages", checked)).content.decode()
    assert "判断できません" not in html
    assert re.search(
        r"未回答の項目が\d+件あります。すべて回答すると、偽装請負に当たるかを判定できます。", html
    )
    # The mark is explained: a legend under the table, and words for screen readers on the row.
    assert 'data-legend="sensitive"' in html and "機密情報・個人情報を扱う作業" in html
    invoices = html.split(">Invoices</a>")[1].split("</td>")[0]
    assert 'aria-hidden="true" data-sensitive-mark>!</span>' in invoices
    assert '<span class="visually-hidden">機密・個人情報あり</span>' in invoices
    assert "パッケージをごみ箱に移動..." not in html


# --- #29: a refused change says why, in words ----------------------------------------------------


def test_a_viewer_on_an_editing_url_is_told_why_and_shown_the_way_back(
    viewer_client, viewer, checked
):
    response = viewer_client.get(reverse("import_upload", args=[checked.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role does not allow this" in html and "Viewers can look at everything" in html
    assert f'href="{reverse("home")}"' in html
    assert "Packages" not in html  # nothing of the assessment itself
    in_japanese(viewer)
    html = viewer_client.get(reverse("import_upload", args=[checked.pk])).content.decode()
    assert "この操作は、あなたのロールでは行えません" in html and ">403<" not in html
