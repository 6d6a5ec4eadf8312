"""`manage.py seed_demo` and the sample inventories in docs/samples."""

import csv
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.files.reading import read
from assessments.models import Assessment, InventoryImport, Package, Task, TaskResult
from outsourcing_advisor.accounts.models import Membership, Organisation, Profile
from outsourcing_advisor.operations.management.commands import seed_demo
from vendors.domain import corporate_number
from vendors.models import LICENCE_KINDS, Bid, Certification, Evaluation, SecurityCheck, Vendor
from vendors.services import selection

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "docs" / "samples"
A, B = seed_demo.ORG_A, seed_demo.ORG_B
PASSWORDS = {
    "manager": "demo-manager-2026",
    "consultant": "demo-consultant-2026",
    "viewer": "demo-viewer-2026",
    "outsider": "demo-outsider-2026",
    "admin": "demo-admin-2026",
}


def parse_sample(language: str) -> list[dict]:
    path = SAMPLES / f"inventory_sample_{language}.csv"
    parsed = read(path.read_bytes(), path.name)
    assert parsed.ready and parsed.ignored_headers == []
    return parsed.rows


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """The command hashes five passwords per run; the production hasher would take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded() -> str:
    """Run the command twice, as `make run` does on every start; the second run's output."""
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def roles() -> set[tuple[str, str, str]]:
    return set(
        Membership.objects.values_list("user__username", "organisation__name", "role").distinct()
    )


def test_seed_twice_creates_everything_once(seeded):
    assert sorted(Organisation.objects.values_list("name", flat=True)) == sorted([A, B])
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(PASSWORDS)
    assert roles() == {
        ("manager", A, "manager"),
        ("consultant", A, "consultant"),
        ("consultant", B, "consultant"),
        ("viewer", A, "viewer"),
        ("outsider", B, "manager"),
    }
    assert Assessment.objects.count() == 2
    assert InventoryImport.objects.count() == 2


def test_organisations_have_the_demo_settings(seeded):
    a = Organisation.objects.get(name=A)
    assert (a.industry, a.employee_count, a.revenue_band) == ("卸売業", 420, "100m_1b")
    assert (a.indirect_headcount, a.hourly_cost, a.working_days, a.yearly_hours) == (
        58,
        3200,
        240,
        1920,
    )
    b = Organisation.objects.get(name=B)
    assert (b.industry, b.employee_count, b.indirect_headcount, b.hourly_cost) == (
        "製造業",
        150,
        12,
        2800,
    )


def test_assessments_hold_the_sample_inventories(seeded):
    a = Assessment.objects.get(organisation__name=A)
    assert a.name == "2026年度 バックオフィス業務の外部委託検討"
    assert a.created_by.username == "manager"
    assert a.tasks.count() == len(parse_sample("ja"))
    assert a.imports.get().imported_by.username == "manager"
    b = Assessment.objects.get(organisation__name=B)
    assert b.name == "管理部門 業務棚卸し"
    assert b.tasks.count() == len(seed_demo.INVENTORY_B_ROWS)
    assert Task.objects.count() == a.tasks.count() + b.tasks.count()


def test_company_as_demo_has_a_mix_of_verdicts_and_models(seeded):
    """The sample answers the ten questions, so the demo shows every kind of outcome."""
    results = TaskResult.objects.filter(task__assessment__organisation__name=A)
    assert Counter(results.values_list("verdict", flat=True)) == {
        "non_core": 27,
        "core": 4,
        "borderline": 3,
        "incomplete": 1,
    }
    assert Counter(results.values_list("model", flat=True)) == {
        "bpo": 15,
        # 株主総会の運営準備 included: general affairs, expertise 4, partly standardisable.
        "kpo": 7,
        "in_house": 5,
        "ito": 4,
        "dispatch": 1,
        "subcontract": 1,
        "crowdsourcing": 1,
        "": 1,  # the incomplete task: not interviewed yet
    }
    pilots = {r.task.task for r in results.select_related("task") if r.detail["pilot"]}
    assert pilots == {"振込データ作成・支払処理", "部門別予算実績の集計"}
    survey = results.get(task__task="アンケート結果のデータ入力")
    assert (survey.model, survey.detail["rule"]) == ("crowdsourcing", "small_one_off_crowdsourcing")
    task = Task.objects.get(task="取締役会資料の取りまとめ")
    assert task.answers["C1"] == "unknown" and task.answer_sources["C1"] == "file"
    assert task.result.detail["missing"] == ["C1", "C5", "C7", "C10"]


def test_registry_holds_the_demo_vendors_once(seeded):
    assert Vendor.objects.count() == 6
    assert Certification.objects.count() == 12  # licences and registrations included
    assert SecurityCheck.objects.count() == 30  # five items each

    today = timezone.localdate()
    held = {vendor.name: vendor.valid_certifications(today) for vendor in Vendor.objects.all()}
    assert held["株式会社さくらビジネスサービス"] == {"pmark", "dispatch"}  # its ISMS has expired
    lapsed = Certification.objects.get(vendor__name="株式会社さくらビジネスサービス", kind="isms")
    assert not lapsed.is_valid(today)
    without = [name for name, kinds in held.items() if not kinds & {"isms", "pmark"}]
    assert without == ["株式会社ネクストオペレーションズ"]
    assert Vendor.objects.get(name="株式会社東西リサーチ").services == ["kpo"]
    met = Counter(SecurityCheck.objects.filter(status="met").values_list("vendor__name", flat=True))
    assert met["株式会社あおばITサービス"] == 5 and met["株式会社ネクストオペレーションズ"] == 1


def test_demo_vendors_have_valid_corporate_numbers_and_licences(seeded):
    numbers = list(Vendor.objects.values_list("corporate_number", flat=True))
    assert len(set(numbers)) == 6 and all(corporate_number.is_valid(n) for n in numbers)
    licences = set(
        Certification.objects.filter(kind__in=LICENCE_KINDS).values_list(
            "vendor__name", "kind", "number"
        )
    )
    assert licences == {
        ("株式会社さくらビジネスサービス", "dispatch", "派23-300512"),
        ("社会保険労務士法人みなとパートナーズ", "sharoushi", "第1390123号"),
    }


def test_demo_vendors_are_those_of_the_sample_evaluations():
    """Names, services and valid certifications as in the sample file, so its import matches."""
    call_command("seed_demo", verbosity=0)
    path = SAMPLES / "vendor_evaluations_sample.csv"
    with path.open(encoding="utf-8-sig", newline="") as sample:
        rows = list(csv.DictReader(sample))
    words = {"ISMS": "isms", "Pマーク": "pmark", "ISO9001": "iso9001", "社労士": "sharoushi"}
    expected = {
        row["ベンダー"]: (
            set(row["提供サービス"].split("、")),
            {words[word] for word in row["認証"].split("、")},
        )
        for row in rows
    }
    today = timezone.localdate()
    # A sheet silent on licences is compared without them (Sakura's dispatch licence); the
    # 社労士法人's row names its registration, as the registry holds it.
    assert {
        vendor.name: (
            set(vendor.services),
            vendor.valid_certifications(today)
            - (set() if "sharoushi" in expected[vendor.name][1] else LICENCE_KINDS),
        )
        for vendor in Vendor.objects.all()
    } == expected


def test_existing_vendor_is_left_as_it_is(seeded):
    vendor = Vendor.objects.get(name="株式会社東西リサーチ")
    vendor.locations = "changed during the demo"
    vendor.save()
    vendor.certifications.all().delete()
    call_command("seed_demo", stdout=StringIO())
    vendor.refresh_from_db()
    assert vendor.locations == "changed during the demo"
    assert not vendor.certifications.exists()
    assert Vendor.objects.count() == 6


def test_demo_consultant_sees_the_registry(seeded):
    client = Client()
    assert client.login(username="consultant", password=PASSWORDS["consultant"])
    page = client.get(reverse("vendor_list")).content.decode()
    assert page.count('data-vendor="') == 6
    assert 'data-certification="isms" data-valid="false"' in page
    manager = Client()
    assert manager.login(username="manager", password=PASSWORDS["manager"])
    assert manager.get(reverse("vendor_list")).status_code == 404


def test_existing_assessment_is_left_as_it_is(seeded):
    assessment = Assessment.objects.get(organisation__name=A)
    assessment.tasks.first().delete()
    count = assessment.tasks.count()
    call_command("seed_demo", stdout=StringIO())
    assert assessment.tasks.count() == count
    assert InventoryImport.objects.count() == 2


def test_demo_passwords_work_and_are_reset(seeded):
    user = User.objects.get(username="viewer")
    user.set_password("changed-during-the-demo")
    user.save()
    call_command("seed_demo", stdout=StringIO())
    for username, password in PASSWORDS.items():
        assert Client().login(username=username, password=password), username


def test_admin_is_a_superuser_without_membership(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not admin.memberships.exists()
    assert not User.objects.filter(is_staff=True).exclude(username="admin").exists()


def test_manager_profile_is_japanese(seeded):
    assert Profile.objects.get(user__username="manager").language == "ja"


def test_listing_names_every_account(seeded):
    assert "http://127.0.0.1:8000" in seeded
    for username, password in PASSWORDS.items():
        assert username in seeded and password in seeded
    assert A in seeded and B in seeded


def test_quiet_with_verbosity_zero():
    out = StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert Organisation.objects.count() == 2


def test_samples_parse_alike_in_both_languages():
    ja, en = parse_sample("ja"), parse_sample("en")
    assert len(ja) == len(en) >= 30
    text = {"department", "process", "task", "description", "interviewee", "notes"}
    for row_ja, row_en in zip(ja, en, strict=True):
        assert {k: v for k, v in row_ja.items() if k not in text} == {
            k: v for k, v in row_en.items() if k not in text
        }, row_ja["task"]


def test_sample_covers_the_spec_examples():
    rows = {row["task"]: row for row in parse_sample("ja")}
    survey = rows["アンケート結果のデータ入力"]
    assert (survey["category"], survey["continuity"], survey["confidentiality"]) == (
        "data_entry",
        "one_off",
        "public",
    )
    assert survey["expertise"] == 1
    assert rows["繁忙期の伝票入力補助"]["direct_instruction"] == "yes"
    assert rows["特許先行技術調査"]["expertise"] == 5
    plan = rows["中期経営計画の策定"]
    assert (plan["category"], plan["judgment"], plan["tacit_knowledge"]) == (
        "planning",
        "high",
        "high",
    )
    assert {row["category"] for row in rows.values()} >= {"analysis", "legal_expert", "creative"}
    assert any(row["people_able"] == 1 for row in rows.values())
    assert all(len(row["answers"]) == 10 for row in rows.values()), "C1-C10 answered"
    # Social-insurance filings for another company are 社労士 work (社会保険労務士法 第27条): the
    # demo's BPO package shows the knock-out of vendors without the registration.
    licensed = {task for task, row in rows.items() if row.get("licensed_work")}
    assert licensed == {"入退社時の資格取得・喪失届", "算定基礎届の作成"}
    assert {rows[task]["licensed_work"] for task in licensed} == {"sharoushi"}


def test_demo_selection_has_quotes_scores_and_a_ranking_once(seeded):
    bpo = Package.objects.get(assessment__organisation__name=A, model="bpo")
    chosen = selection.package_selection(bpo)
    # The sample's social-insurance filings are 社労士 work: only the 社労士法人 holding the
    # registration ranks; the other three are excluded for the missing registration.
    assert [(row.rank, row.name) for row in chosen.ranking[:1]] == [
        (1, "社会保険労務士法人みなとパートナーズ")
    ]
    assert [row.rank for row in chosen.ranking[1:]] == [None, None, None]
    assert all(
        any("社労士" in reason for reason in chosen.excluded[row.name])
        for row in chosen.ranking[1:]
    )
    assert all(line.comparison is not None for line in chosen.lines)
    # Both demo evaluators submitted; seeding twice (the fixture does) doubled nothing.
    assert {e.evaluator.username for e in Evaluation.objects.filter(bid__package=bpo)} == {
        "manager",
        "consultant",
    }
    assert Bid.objects.filter(package=bpo).count() == 4
