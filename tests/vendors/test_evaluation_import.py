"""The browser import of a vendor evaluation file (SPEC 6.3), as Kenji (consultant) uses it: he
uploads the sheet the evaluators filled in and finds the vendors invited, the quotes set and the
scores submitted on the packages page. A bad sheet is refused whole, by row and column, with
nothing written. Hanako (manager) and the viewer get 403; the outsider from company B gets 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Package
from outsourcing_advisor.accounts.models import Role
from tests.factories import make_member
from tests.helpers import (
    HEADERS,
    SAMPLE_BYTES,
    SAMPLE_ROWS,
    client_for,
    sample_with,
    sheet,
    upload,
)
from tests.helpers import evaluations_import_url as import_url
from vendors.files.evaluations import SCORE_KEYS
from vendors.models import Bid, Certification, Evaluation, Vendor

pytestmark = pytest.mark.django_db

SCORE_HEADERS = HEADERS[5:13]  # 実績 … 契約条件, in the criteria's order
MIRAI, SAKURA, NEXT, TOZAI, AOBA, MINATO = (
    "株式会社みらいアウトソーシング",
    "株式会社さくらビジネスサービス",
    "株式会社ネクストオペレーションズ",
    "株式会社東西リサーチ",
    "株式会社あおばITサービス",
    "社会保険労務士法人みなとパートナーズ",
)


# --- helpers -----------------------------------------------------------------------------------


def counts() -> tuple[int, int]:
    return Bid.objects.count(), Evaluation.objects.count()


def snapshot() -> list[Any]:
    """Everything an import writes, timestamps included: a partial write would show."""
    return [
        list(Bid.objects.order_by("pk").values()),
        list(Evaluation.objects.order_by("pk").values()),
        list(Vendor.objects.order_by("pk").values()),
        list(Certification.objects.order_by("pk").values()),
    ]


def evaluation(model: str, vendor: str, evaluator: str) -> Evaluation:
    return Evaluation.objects.select_related("bid").get(
        bid__package__model=model, bid__vendor__name=vendor, evaluator__username=evaluator
    )


def bid(model: str, vendor: str) -> Bid:
    return Bid.objects.get(package__model=model, vendor__name=vendor)


def shown_messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in response.context["messages"]]


# --- importing the sample ----------------------------------------------------------------------


def test_kenji_imports_the_sample_and_every_row_becomes_a_submitted_evaluation(
    consultant_client, ready
):
    response = upload(consultant_client, ready)
    assert response.status_code == 302
    assert response["Location"] == reverse("packages", args=[ready.pk])
    assert counts() == (9, 18)
    for row in SAMPLE_ROWS[1:]:
        model, vendor, evaluator, comment = row[0], row[1], row[4], row[-1]
        found = evaluation(model, vendor, evaluator)
        assert found.scores == {
            key: int(row[HEADERS.index(header)])
            for key, header in zip(SCORE_KEYS, SCORE_HEADERS, strict=True)
        }
        assert found.submitted and found.comments == {"general": comment}
    mirai = evaluation("bpo", MIRAI, "manager")
    assert mirai.scores["track_record"] == 5 and mirai.scores["cost_breakdown"] == 3


def test_the_sample_invites_each_vendor_to_its_package_with_its_quote(consultant_client, ready):
    upload(consultant_client, ready)
    invited = set(Bid.objects.values_list("package__model", "vendor__name"))
    assert invited == {
        ("bpo", MIRAI),
        ("bpo", SAKURA),
        ("bpo", NEXT),
        ("bpo", MINATO),  # the 社労士法人 the BPO package's 社労士 work needs
        ("kpo", MIRAI),
        ("kpo", TOZAI),
        ("kpo", SAKURA),
        ("ito", AOBA),
        ("ito", MIRAI),
    }
    sakura = bid("bpo", SAKURA)
    assert (sakura.pricing_model, sakura.initial_fee, sakura.monthly_fee) == (
        "volume",
        Decimal(500000),
        Decimal(380000),
    )
    assert (sakura.unit_price, sakura.annual_volume) == (Decimal(150), Decimal(5040))
    tozai = bid("kpo", TOZAI)
    assert (tozai.pricing_model, tozai.unit_price, tozai.annual_volume) == (
        "outcome",
        Decimal(350000),
        Decimal(4),
    )
    following = bid("bpo", NEXT)
    assert (following.pricing_model, following.monthly_fee, following.unit_price) == (
        "subscription",
        Decimal(420000),
        None,
    )


def test_the_packages_page_counts_what_was_imported(consultant_client, ready):
    response = upload(consultant_client, ready, follow=True)
    assert response.redirect_chain[-1][0] == reverse("packages", args=[ready.pk])
    assert shown_messages(response) == [
        ("success", "Evaluations imported: 18. Vendors newly invited: 9. Quotes set: 9.")
    ]
    assert "Evaluations imported: 18." in response.content.decode()


def test_english_headers_are_accepted(consultant_client, ready):
    english = [
        "package",
        "vendor",
        "services",
        "certifications",
        "evaluator",
        *SCORE_KEYS,
        "pricing_model",
        "initial_fee",
        "monthly_fee",
        "unit_price",
        "annual_volume",
        "comment",
    ]
    response = upload(consultant_client, ready, sheet([english, *SAMPLE_ROWS[1:]]))
    assert response.status_code == 302
    assert counts() == (9, 18)


def test_importing_the_same_file_again_replaces_the_evaluations(consultant_client, ready):
    upload(consultant_client, ready, follow=True)
    first = evaluation("bpo", MIRAI, "manager")
    changed = sample_with((2, "実績", "2"), (2, "コメント", "再評価"))
    response = upload(consultant_client, ready, changed, follow=True)
    assert counts() == (9, 18)  # nothing duplicated
    again = evaluation("bpo", MIRAI, "manager")
    assert again.pk == first.pk
    assert again.scores["track_record"] == 2 and again.comments == {"general": "再評価"}
    assert shown_messages(response) == [
        ("success", "Evaluations imported: 18. Vendors newly invited: 0. Quotes set: 9.")
    ]


def test_an_evaluation_entered_in_the_browser_is_replaced_by_the_files(
    consultant_client, ready, packages
):
    mirai = Vendor.objects.get(name=MIRAI)
    manager = User.objects.get(username="manager")
    draft = Evaluation.objects.create(
        bid=Bid.invite(packages["bpo"], mirai)[0], evaluator=manager, scores={"security": 1}
    )
    upload(consultant_client, ready)
    draft.refresh_from_db()
    assert draft.submitted and draft.scores["security"] == 5
    assert counts() == (9, 18)


def test_services_differing_from_the_registry_are_a_warning_and_the_registry_is_kept(
    consultant_client, ready
):
    Vendor.objects.filter(name=MIRAI).update(services=["bpo", "kpo"])
    response = upload(consultant_client, ready, follow=True)
    assert counts() == (9, 18)  # imported all the same
    warnings = [text for level, text in shown_messages(response) if level == "warning"]
    assert warnings == [
        f"Row 2, column C (提供サービス): The services differ from the registry's for {MIRAI}; the "
        "registry's are used."
    ]
    assert Vendor.objects.get(name=MIRAI).services == ["bpo", "kpo"]
    assert "alert-warning" in response.content.decode()


def test_an_unknown_column_is_a_warning(consultant_client, ready):
    rows = [[*row, "社内メモ" if number == 0 else "x"] for number, row in enumerate(SAMPLE_ROWS)]
    response = upload(consultant_client, ready, sheet(rows), follow=True)
    assert ("warning", "Column T (社内メモ): Unknown column, ignored.") in shown_messages(response)
    assert counts() == (9, 18)


# --- bad input: refused whole, nothing written --------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [(3, "実績", "0")], "Row 3, column F (実績): Must be at least 1 (got 0).", id="score-0"
        ),
        pytest.param(
            [(9, "契約条件", "6")],
            "Row 9, column M (契約条件): Must be at most 5 (got 6).",
            id="score-6",
        ),
        pytest.param(
            [(2, "月額費用(円)", "-450000"), (3, "月額費用(円)", "-450000")],
            "Row 2, column P (月額費用(円)): Must be at least 0 (got -450000).",
            id="negative-fee",
        ),
        pytest.param(
            [(14, "パッケージ", "dispatch")],
            "Row 14, column A (パッケージ): Unknown package “dispatch”: the packages of this "
            "assessment are bpo / ito / kpo.",
            id="unknown-package",
        ),
        pytest.param(
            [(5, "評価者", "tanaka")],
            "Row 5, column E (評価者): “tanaka” is not an evaluator of this assessment.",
            id="unknown-evaluator",
        ),
        pytest.param(
            [(10, "ベンダー", "株式会社どこにもない")],
            "Row 10, column B (ベンダー): “株式会社どこにもない” is not in the vendor registry.",
            id="vendor-not-in-registry",
        ),
        pytest.param(
            [(2, "単価(円)", "120")],
            "Row 2, column Q (単価(円)): A unit price needs the annual volume (on this row or "
            "another of the vendor).",
            id="unit-price-without-volume",
        ),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_written(
    consultant_client, ready, changes, expected
):
    before = counts()
    response = upload(consultant_client, ready, sample_with(*changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file was not imported" in page and "Nothing was changed." in page
    assert f"<li>{expected}</li>" in page.replace("&quot;", '"')
    assert counts() == before == (0, 0)


def test_two_packages_of_one_model_cannot_be_told_apart_and_nothing_is_written(
    consultant_client, ready, packages
):
    Package.objects.create(assessment=ready, model="bpo", name="BPO: 給与", position=3)
    response = upload(consultant_client, ready)
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Row 2, column A (パッケージ): This assessment has several bpo packages "
        "(BPO: 人事・経理, BPO: 給与)" in page
    )
    assert page.count("This assessment has several bpo packages") == 8  # each bpo row
    assert counts() == (0, 0)


def test_a_refused_file_leaves_an_earlier_import_as_it_was(consultant_client, ready):
    upload(consultant_client, ready)
    before = snapshot()
    # Every row but one is fine, and row 2's score and quote differ from what is stored.
    bad = sample_with((2, "実績", "1"), (17, "セキュリティ", "9"))
    response = upload(consultant_client, ready, bad)
    assert response.status_code == 400
    assert (
        "Row 17, column H (セキュリティ): Must be at most 5 (got 9)." in response.content.decode()
    )
    assert snapshot() == before


def test_an_empty_file_gets_a_form_error(consultant_client, ready):
    response = upload(consultant_client, ready, b"", name="empty.csv")
    assert response.status_code == 400  # a refusal, like a refused file
    assert "The submitted file is empty" in response.content.decode()
    assert counts() == (0, 0)


def test_a_file_is_read_by_its_content_not_its_name(consultant_client, ready):
    """The evaluation sheet saved under another name is read; a real PDF is refused."""
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>\nendobj\n"
    response = upload(consultant_client, ready, pdf, name="evaluations.pdf")
    assert response.status_code == 400
    assert "This file is not a spreadsheet" in response.content.decode()
    assert counts() == (0, 0)
    response = upload(consultant_client, ready, SAMPLE_BYTES, name="evaluations.pdf")
    assert response.status_code == 302
    assert counts() != (0, 0)


def test_a_file_over_the_size_limit_is_refused_before_parsing(consultant_client, ready, settings):
    settings.MAX_UPLOAD_BYTES = 2048
    assert len(SAMPLE_BYTES) > 2048
    response = upload(consultant_client, ready)
    assert response.status_code == 400
    assert "The file is larger than the 0 MB limit." in response.content.decode()
    assert counts() == (0, 0)


def test_headers_without_rows_are_refused(consultant_client, ready):
    response = upload(consultant_client, ready, sheet([HEADERS]))
    assert response.status_code == 400
    assert "The file has column headers but no evaluations." in response.content.decode()


def test_one_evaluator_named_twice_for_the_same_vendor_is_a_duplicate(
    consultant_client, ready, consultant
):
    """Kenji by his user name on one row and by his full name on another: one person, one
    evaluation; the second row would silently overwrite the first."""
    consultant.first_name, consultant.last_name = "Kenji", "Sato"
    consultant.save()
    rows = [HEADERS, list(SAMPLE_ROWS[1]), list(SAMPLE_ROWS[2])]
    rows[1][4], rows[2][4] = "kenji", "Kenji Sato"
    response = upload(consultant_client, ready, sheet(rows))
    assert response.status_code == 400
    assert (
        "Row 3: “Kenji Sato” is the same person as “kenji” in row 2, for the same package and "
        "vendor (a duplicate row)." in response.content.decode()
    )
    assert counts() == (0, 0)


def test_without_a_package_column_the_rows_go_to_the_package_with_the_most_hours(
    consultant_client, ready, packages
):
    ready.tasks.update(package=packages["kpo"])
    rows = [row[1:] for row in SAMPLE_ROWS[:7]]  # the header and the bpo rows
    response = upload(consultant_client, ready, sheet(rows))
    assert response.status_code == 302
    assert set(Bid.objects.values_list("package__model", flat=True)) == {"kpo"}
    assert counts() == (3, 6)


def test_without_a_package_column_or_any_package_the_file_is_refused_once(
    consultant_client, assessment, evaluators, registry, consultant
):
    rows = [row[1:] for row in SAMPLE_ROWS[:7]]
    response = upload(consultant_client, assessment, sheet(rows))
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("This assessment has no packages yet.") == 1
    assert counts() == (0, 0)


# --- the page and who may use it ----------------------------------------------------------------


def test_the_page_explains_the_columns_and_lists_the_packages_and_evaluators(
    consultant_client, ready, packages
):
    Package.objects.create(assessment=ready, model="ito", name="ITO: 監視", position=3)
    response = consultant_client.get(import_url(ready))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    for key in ("bpo", "kpo", "ito"):
        assert f"<code>{key}</code>" in page
    assert "BPO: 人事・経理" in page and "Several packages of this model" in page
    assert "<code>consultant</code>" in page and "<code>manager</code>" in page
    assert "<code>kenji</code>" in page and "<code>hanako</code>" in page
    assert "<code>viewer</code>" not in page  # viewers do not score
    assert "実績、体制、セキュリティ" in page and "track_record, team, security" in page
    assert "料金体系" in page and "pricing_model" in page and "volume / outcome" in page


def test_the_packages_page_links_to_the_import_for_consultants_only(
    consultant_client, manager_client, viewer_client, ready
):
    link = f'href="{import_url(ready)}"'
    packages_url = reverse("packages", args=[ready.pk])
    assert link in consultant_client.get(packages_url).content.decode()
    assert link not in manager_client.get(packages_url).content.decode()
    assert link not in viewer_client.get(packages_url).content.decode()


@pytest.mark.parametrize(
    ("client_fixture", "status"),
    [("manager_client", 403), ("viewer_client", 403), ("outsider_client", 404)],
)
def test_only_the_consultants_of_the_organisation_may_import(
    request, ready, client_fixture, status
):
    client: Client = request.getfixturevalue(client_fixture)
    assert client.get(import_url(ready)).status_code == status
    assert upload(client, ready).status_code == status
    assert counts() == (0, 0)


def test_a_consultant_of_another_organisation_gets_404(company_b, ready):
    client = client_for(make_member("yuki", company_b, Role.CONSULTANT))
    assert client.get(import_url(ready)).status_code == 404
    assert upload(client, ready).status_code == 404
    assert counts() == (0, 0)
