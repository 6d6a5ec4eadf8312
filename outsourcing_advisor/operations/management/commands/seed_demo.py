"""`manage.py seed_demo`: demo organisations, people and assessments, safe to run again and again.

Organisations, assessments and profiles are created once and then left as they are, so edits made
while trying the demo survive `make run`. The demo accounts' passwords, staff flags and roles are
reset on every run so that the printed listing is always true.

The passwords below are public and for the demo only: never run this against a production database.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.domain.inventory import OrgSettings
from assessments.files.problems import ImportRejected
from assessments.files.reading import read
from assessments.models import Assessment, collaboration
from outsourcing_advisor.accounts.models import (
    Membership,
    Organisation,
    Profile,
    RevenueBand,
    Role,
)
from vendors.files.evaluations import parse_evaluations
from vendors.models import Certification, SecurityCheck, SecurityItem, Vendor
from vendors.services import selection

URL = "http://127.0.0.1:8000"
SAMPLE_JA = settings.BASE_DIR / "docs" / "samples" / "inventory_sample_ja.csv"
SAMPLE_EVALUATIONS = settings.BASE_DIR / "docs" / "samples" / "vendor_evaluations_sample.csv"

ORG_A = "株式会社さくら商事"
ORG_B = "みどり精機株式会社"
ORGANISATIONS: dict[str, dict[str, Any]] = {
    ORG_A: {
        "industry": "卸売業",
        "employee_count": 420,
        "revenue_band": RevenueBand.FROM_100M,
        "indirect_headcount": 58,
        "hourly_cost": Decimal(3200),
        "working_days": 240,
        "yearly_hours": 1920,
    },
    ORG_B: {
        "industry": "製造業",
        "employee_count": 150,
        "indirect_headcount": 12,
        "hourly_cost": Decimal(2800),
    },
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    memberships: tuple[tuple[str, Role], ...] = ()
    superuser: bool = False
    language: str | None = None  # set on the profile when it is first created
    # (family, given): how documents name the person (the report's author, the history).
    name: tuple[str, str] = ("", "")


USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "manager",
        "demo-manager-2026",
        ((ORG_A, Role.MANAGER),),
        language="ja",
        name=("山田", "花子"),
    ),
    DemoUser(
        "consultant",
        "demo-consultant-2026",
        ((ORG_A, Role.CONSULTANT), (ORG_B, Role.CONSULTANT)),
        name=("佐藤", "健二"),
    ),
    DemoUser("viewer", "demo-viewer-2026", ((ORG_A, Role.VIEWER),), name=("鈴木", "一郎")),
    DemoUser("outsider", "demo-outsider-2026", ((ORG_B, Role.MANAGER),), name=("高橋", "誠")),
    DemoUser("admin", "demo-admin-2026", superuser=True),
)

ASSESSMENT_A = "2026年度 バックオフィス業務の外部委託検討"
ASSESSMENT_B = "管理部門 業務棚卸し"

# Company B's inventory: English headers and enumeration keys (A's sample has Japanese ones) and
# only some of the optional columns, so the demo shows both kinds of file importing.
INVENTORY_B_HEADERS = (
    "department", "process", "task", "category", "frequency", "occurrences", "minutes", "people",
    "expertise", "standardizable", "people_able", "seasonality", "confidentiality", "continuity",
    "deliverable_clear", "direct_instruction", "judgment", "tacit_knowledge", "notes",
)  # fmt: skip
INVENTORY_B_ROWS = (
    ("総務部", "給与計算", "勤怠データ集計", "hr", "monthly", 1, 360, 1,
     2, "yes", 1, "medium", "personal", "ongoing", "yes", "no", "low", "medium", "担当者1名のみ"),
    ("経理部", "売上・請求", "請求書発行", "accounting", "monthly", 1, 240, 1,
     2, "yes", 2, "low", "confidential", "ongoing", "yes", "no", "low", "low", ""),
    ("経理部", "支払業務", "買掛金の支払処理", "accounting", "monthly", 1, 180, 1,
     2, "yes", 2, "low", "confidential", "ongoing", "yes", "no", "low", "low", ""),
    ("総務部", "受付", "工場見学の来客受付", "general_affairs", "weekly", 3, 20, 1,
     1, "yes", 3, "low", "internal", "ongoing", "no", "no", "low", "low", ""),
    ("総務部", "社内IT", "PC・ネットワークの問合せ対応", "it", "daily", 3, 15, 1,
     3, "partly", 1, "low", "internal", "ongoing", "no", "no", "medium", "high", "IT専任者なし"),
    ("購買部", "発注", "発注データ入力", "data_entry", "daily", 1, 60, 1,
     1, "yes", 2, "medium", "internal", "ongoing", "yes", "yes", "low", "low", "繁忙期は派遣検討"),
)  # fmt: skip


@dataclass(frozen=True)
class DemoVendor:
    """A vendor of the registry. Certifications and licences are (kind, number, years to
    expiry): a negative number of years has expired, None never expires (a registration).
    Checks are the five items' statuses, in the check's order. The 法人番号 are fictional, with
    valid check digits (a 法務局's code, the kind of company, a serial in 0991xx)."""

    name: str
    services: tuple[str, ...]
    industries: str
    locations: str
    track_record: str
    contacts: str
    certifications: tuple[tuple[str, str, int | None], ...]
    checks: tuple[str, str, str, str, str]
    notes: dict[str, str]  # security check notes by item
    corporate_number: str = ""


# The names, services and valid certifications are those of
# docs/samples/vendor_evaluations_sample.csv, so that its import finds them in the registry.
# Services are in the models' order, as the registry's form stores them.
VENDORS: tuple[DemoVendor, ...] = (
    DemoVendor(
        "株式会社みらいアウトソーシング", ("bpo", "ito", "kpo"), "製造業, 卸売業, 小売業",
        "東京, 大阪, 大連", "給与計算・社会保険手続きの受託 300社以上、設立1998年",
        "営業本部 田中 (tanaka@mirai-outsourcing.example.com)",
        (("isms", "IS 601234", 2), ("pmark", "第10820123号", 1), ("iso9001", "QMS 44021", 3)),
        ("met", "met", "met", "partly", "met"),
        {"resubcontracting": "法務・特許調査は再委託。再委託先の管理方法を確認中"},
        "1010401099101",
    ),
    DemoVendor(
        "株式会社さくらビジネスサービス", ("bpo", "dispatch"), "卸売業, サービス業", "名古屋",
        "中堅企業の給与計算・経理代行 80社", "営業部 鈴木 (03-0000-1234)",
        (("pmark", "第21000456号", 2), ("isms", "IS 598765", -1), ("dispatch", "派23-300512", 3)),
        ("partly", "met", "partly", "met", "partly"),
        {
            "certifications": "ISMSは更新されず失効。Pマークのみ有効",
            "incident_response": "事故時の報告手順は口頭での取り決めのみ。今期中に文書化の予定",
        },
        "4180001099102",
    ),
    DemoVendor(
        "株式会社ネクストオペレーションズ", ("bpo", "ito"), "IT, サービス業", "福岡, ダナン",
        "設立2019年、定額制のバックオフィス代行 40社", "カスタマーサクセス部 高橋",
        (("iso9001", "QMS 77310", 2),),
        ("not_met", "met", "unknown", "partly", "partly"),
        {"certifications": "ISMS・Pマークとも未取得(取得予定は未定)"},
        "9290001099103",
    ),
    DemoVendor(
        "株式会社東西リサーチ", ("kpo",), "製造業, 医薬品", "東京",
        "業界調査レポート・特許先行技術調査 年間150件", "リサーチ部 渡辺",
        (("isms", "IS 612345", 1),),
        ("met", "partly", "met", "met", "partly"),
        {"access_control": "少人数のため担当者間で権限が分かれていない"},
        "2010001099104",
    ),
    DemoVendor(
        "株式会社あおばITサービス", ("bpo", "ito"), "製造業, 卸売業, 金融業", "仙台, 東京",
        "ヘルプデスク・24時間監視 120社、データセンター2拠点",
        "ソリューション営業部 伊藤 (ito@aoba-it.example.com)",
        (("isms", "IS 587654", 2), ("iso9001", "QMS 50112", 1)),
        ("met", "met", "met", "met", "met"),
        {"audit_logs": "操作ログを1年間保管、月次で提出"},
        "7370001099105",
    ),
    # The registered firm that social-insurance filings (社労士 work) need: the sample inventory
    # marks two BPO tasks 士業業務 = 社労士, so the BPO package's other vendors, without that
    # registration, are excluded, and this one, in the sample evaluation sheet, ranks first.
    DemoVendor(
        "社会保険労務士法人みなとパートナーズ", ("bpo",), "卸売業, 製造業, サービス業",
        "東京, 横浜",
        "社会保険・労働保険の手続代行と給与計算 150社、電子申請対応", "業務部 小林 (03-0000-5678)",
        (("sharoushi", "第1390123号", None), ("pmark", "第10861234号", 2)),
        ("met", "met", "met", "met", "met"),
        {"resubcontracting": "再委託なし(所属社労士が全件担当)"},
        "1010405099106",
    ),
)  # fmt: skip


class Command(BaseCommand):
    help = "Load demo organisations, users and assessments (idempotent; demo passwords only)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        orgs = {name: _organisation(name, values) for name, values in ORGANISATIONS.items()}
        users = {demo.username: _user(demo, orgs) for demo in USERS}
        _assessment(orgs[ORG_A], ASSESSMENT_A, SAMPLE_JA.read_bytes(), SAMPLE_JA.name, users)
        _assessment(orgs[ORG_B], ASSESSMENT_B, _inventory_b(), "inventory_b.csv", users)
        for demo_vendor in VENDORS:
            _vendor(demo_vendor)
        _selection(Assessment.objects.get(organisation=orgs[ORG_A], name=ASSESSMENT_A))
        _together(Assessment.objects.get(organisation=orgs[ORG_A], name=ASSESSMENT_A), users)
        if options["verbosity"] > 0:
            self.stdout.write(listing())


def _organisation(name: str, values: dict[str, Any]) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(name=name, defaults=values)
    return organisation


def _user(demo: DemoUser, orgs: dict[str, Organisation]) -> User:
    user, _created = User.objects.get_or_create(
        username=demo.username, defaults={"email": f"{demo.username}@example.com"}
    )
    user.set_password(demo.password)
    user.is_active = True
    user.is_staff = user.is_superuser = demo.superuser
    if not (user.last_name or user.first_name):  # a name someone gave since stays theirs
        user.last_name, user.first_name = demo.name
    user.save()
    for org_name, role in demo.memberships:
        Membership.objects.update_or_create(
            user=user, organisation=orgs[org_name], defaults={"role": role}
        )
    if demo.language:
        Profile.objects.get_or_create(user=user, defaults={"language": demo.language})
    return user


def _assessment(
    organisation: Organisation, name: str, data: bytes, filename: str, users: dict[str, User]
) -> None:
    """Create the assessment and import its inventory, unless it already exists."""
    if Assessment.objects.filter(organisation=organisation, name=name).exists():
        return
    try:
        reading = read(data, filename, org=OrgSettings.of(organisation))
        if not reading.ready:
            raise ImportRejected(reading.refusal())
    except ImportRejected as error:
        raise CommandError(f"{filename}: {error}") from error
    # The organisation's manager imports; B's manager is the "outsider" account.
    owner = users["manager"] if organisation.name == ORG_A else users["outsider"]
    assessment = Assessment.objects.start(organisation=organisation, name=name, created_by=owner)
    assessment.import_tasks(
        reading.rows,
        filename=filename,
        sha256=reading.sha256,
        user=owner,
        provided=reading.provided,
    )


def _selection(assessment: Assessment) -> None:
    """Packages from the recommendations and the sample evaluation sheet (quotes and both demo
    evaluators' scores), unless the assessment has packages already."""
    if assessment.packages.exists():
        return
    assessment.create_packages()
    evaluators = selection.evaluators_of(assessment)
    try:
        parsed = parse_evaluations(
            SAMPLE_EVALUATIONS.read_bytes(),
            SAMPLE_EVALUATIONS.name,
            known_packages=set(assessment.packages.values_list("model", flat=True)),
            known_evaluators=set(evaluators),
            known_vendors=set(Vendor.objects.values_list("name", flat=True)),
        )
        selection.import_evaluations(assessment, parsed, evaluators)
    except ImportRejected as error:
        raise CommandError(f"{SAMPLE_EVALUATIONS.name}: {error}") from error


def _together(assessment: Assessment, users: dict[str, User]) -> None:
    """Working together (issue 18), unless the assessment has comments already: the first
    task's check given to the consultant, a comment on it mentioning him and one on the first
    package mentioning the manager (both by their full names, family name first)."""
    if assessment.comments.exists():
        return
    manager, consultant = users["manager"], users["consultant"]
    task = assessment.tasks.order_by("position").first()
    package = assessment.packages.order_by("position", "pk").first()
    if task is None or package is None:
        return
    assessment.assign_check(task, consultant, manager)
    collaboration.add_comment(
        assessment,
        manager,
        f"@{consultant.last_name} {consultant.first_name} さん、"
        "締め日と勤怠データの受け渡し方法を人事部に確認してから判定をお願いします。",
        task=task,
    )
    collaboration.add_comment(
        assessment,
        consultant,
        f"@{manager.last_name} {manager.first_name} さん、"
        "見積もりの比較条件（初期費用と月額）をそろえてから評価委員会にかけます。",
        package=package,
    )


def _vendor(demo: DemoVendor) -> None:
    """Create the vendor with its certifications and security check, unless it already exists.
    Expiry dates are set from the year of the first run: the lapsed ISMS ended last March, the
    others run to September of a later year."""
    vendor, created = Vendor.objects.get_or_create(
        name=demo.name,
        defaults={
            "corporate_number": demo.corporate_number,
            "services": list(demo.services),
            "industries": demo.industries,
            "locations": demo.locations,
            "track_record": demo.track_record,
            "contacts": demo.contacts,
        },
    )
    if not created:
        return
    year = timezone.localdate().year
    Certification.objects.bulk_create(
        Certification(
            vendor=vendor,
            kind=kind,
            number=number,
            expires_on=None
            if years is None
            else datetime.date(year + years, *((3, 31) if years < 0 else (9, 30))),
        )
        for kind, number, years in demo.certifications
    )
    SecurityCheck.objects.bulk_create(
        SecurityCheck(vendor=vendor, item=item, status=status, note=demo.notes.get(item, ""))
        for item, status in zip(SecurityItem.values, demo.checks, strict=True)
    )


def _inventory_b() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([INVENTORY_B_HEADERS, *INVENTORY_B_ROWS])
    return out.getvalue().encode()


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Japanese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def listing() -> str:
    """A box with the URL and every demo account."""
    rows = [("username", "password", "role @ organisation")]
    for demo in USERS:
        roles = [f"{role.value} @ {org}" for org, role in demo.memberships]
        if demo.superuser:
            roles = ["site administrator (superuser, /admin/)"]
        for index, role in enumerate(roles):
            first = index == 0
            rows.append((demo.username if first else "", demo.password if first else "", role))
    lines = [
        f"Demo data ready. Open {URL} and sign in as:",
        "",
        *_table(rows),
        "",
        "Demo-only passwords: never use them in production.",
    ]
    inner = max(_width(line) for line in lines)
    edge = "+" + "-" * (inner + 2) + "+"
    return "\n".join([edge, *(f"| {_pad(line, inner)} |" for line in lines), edge])


def _table(rows: list[tuple[str, str, str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = ["   ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "   ".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]
