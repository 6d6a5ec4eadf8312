"""The people of the tests: a manager, a viewer and a consultant of company A, and an outsider
who manages company B. Every view that takes an id is tested with the outsider.

The fixtures shared by tests in more than one module live here (those of one directory in its
conftest.py); the data they make comes from tests/factories.py."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from assessments.models import Assessment, Package
from assessments.models.versions import RuleTableVersion
from outsourcing_advisor.accounts.models import Membership, Organisation, Role
from outsourcing_advisor.operations.management.commands.seed_demo import VENDORS
from tests.factories import (
    OUTSOURCEABLE,
    make_certified_vendor,
    make_member,
    make_package,
    make_task,
)
from tests.helpers import client_for, restore_published_defaults
from vendors.models import Bid, Certification, Vendor


@pytest.fixture
def published_defaults(transactional_db) -> None:
    restore_published_defaults()


@pytest.fixture
def company_a(db) -> Organisation:
    return Organisation.objects.create(
        name="Sakura Trading", employee_count=420, indirect_headcount=58
    )


@pytest.fixture
def company_b(db) -> Organisation:
    return Organisation.objects.create(name="Midori Seiki")


@pytest.fixture
def manager(company_a) -> User:
    return make_member("hanako", company_a, Role.MANAGER)


@pytest.fixture
def viewer(company_a) -> User:
    return make_member("viewer", company_a, Role.VIEWER)


@pytest.fixture
def consultant(company_a, company_b) -> User:
    user = make_member("kenji", company_a, Role.CONSULTANT)
    Membership.objects.create(user=user, organisation=company_b, role=Role.CONSULTANT)
    return user


@pytest.fixture
def outsider(company_b) -> User:
    return make_member("outsider", company_b, Role.MANAGER)


@pytest.fixture
def manager_client(manager) -> Client:
    return client_for(manager)


@pytest.fixture
def viewer_client(viewer) -> Client:
    return client_for(viewer)


@pytest.fixture
def consultant_client(consultant) -> Client:
    return client_for(consultant)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return client_for(outsider)


@pytest.fixture
def assessment(company_a, manager) -> Assessment:
    """Company A's assessment with two tasks: payroll (monthly) and reception (daily), pinned
    to the published checklist and rule table, each task checked (incomplete: no answers)."""
    assessment = Assessment.objects.start(
        organisation=company_a, name="Back office 2026", created_by=manager
    )
    make_task(
        assessment,
        position=0,
        department="HR",
        process="Payroll",
        task="Collect timesheets",
        category="hr",
        frequency="monthly",
        occurrences=Decimal(1),
        minutes=Decimal(120),
        people=2,
        people_able=1,
    )
    make_task(
        assessment,
        position=1,
        department="General affairs",
        process="Reception",
        task="Greet visitors",
        category="general_affairs",
        frequency="daily",
        occurrences=Decimal(4),
        minutes=Decimal(15),
        people=1,
        people_able=3,
    )
    assessment.recompute_results()
    return assessment


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Django's default hasher is deliberately slow; tests don't need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the vendor pages' limits per address
    (vendors/web/throttle.py) count every test client's requests, all from one address."""
    cache.clear()


# --- sourcing packages and the vendors invited to them --------------------------------------------


@pytest.fixture
def checked(company_a, consultant) -> Assessment:
    """Four tasks: two HR/accounting tasks for BPO (one with personal data), one IT task for
    ITO, and one core task that stays in-house."""
    assessment = Assessment.objects.start(organisation=company_a, name="Packages")
    tasks = [
        ("HR", "Payroll", "hr", "internal", 600),
        ("Accounting", "Invoices", "accounting", "personal", 300),
        ("IT", "Helpdesk", "it", "internal", 120),
    ]
    for position, (department, name, category, confidentiality, minutes) in enumerate(tasks):
        make_task(
            assessment,
            position=position,
            department=department,
            process=name,
            task=name,
            category=category,
            confidentiality=confidentiality,
            minutes=Decimal(minutes),
            **OUTSOURCEABLE,
        )
    make_task(
        assessment,
        position=3,
        department="Planning",
        process="Strategy",
        task="Strategy",
        category="planning",
        answers={"C1": "yes", "C2": "yes"},
    )
    assessment.recompute_results()
    return assessment


@pytest.fixture
def bpo(checked: Assessment) -> Package:
    """The BPO package: payroll and invoices (personal data)."""
    checked.create_packages()
    return checked.packages.get(model="bpo")


@pytest.fixture
def mirai() -> Vendor:
    return make_certified_vendor("Mirai Outsourcing", ["bpo", "kpo"], "pmark")


@pytest.fixture
def sakura() -> Vendor:
    return make_certified_vendor("Sakura Business", ["bpo"], "isms")


@pytest.fixture
def invited(bpo: Package, mirai: Vendor, sakura: Vendor) -> tuple[Bid, Bid]:
    return Bid.invite(bpo, mirai)[0], Bid.invite(bpo, sakura)[0]


# --- the vendor evaluation sample (docs/samples): its people, packages and registry ---------------


@pytest.fixture
def evaluators(company_a) -> None:
    """The sample names its evaluators as the demo does: the user names “manager” and
    “consultant”, members of company A with an editing role."""
    for username, role in (("manager", Role.MANAGER), ("consultant", Role.CONSULTANT)):
        make_member(username, company_a, role)


@pytest.fixture
def packages(assessment: Assessment) -> dict[str, Package]:
    names = {"bpo": "BPO: 人事・経理", "kpo": "KPO: 調査", "ito": "ITO: ヘルプデスク"}
    return {
        model: make_package(assessment, model, name, position=i)
        for i, (model, name) in enumerate(names.items())
    }


@pytest.fixture
def registry() -> None:
    """The demo's vendors (seed_demo), whose names, services and valid certifications are the
    sample's. さくら's ISMS has lapsed, as the sample's Pマーク-only certifications say."""
    today = timezone.localdate()
    for demo in VENDORS:
        vendor = Vendor.objects.create(name=demo.name, services=list(demo.services))
        for kind, number, years in demo.certifications:
            expires_on = None if years is None else today + datetime.timedelta(days=365 * years)
            Certification.objects.create(
                vendor=vendor, kind=kind, number=number, expires_on=expires_on
            )


@pytest.fixture
def ready(assessment, packages, evaluators, registry, consultant) -> Assessment:
    return assessment


# --- the admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_en(admin_client: Client) -> Client:
    """The admin in English, so the assertions read the English messages."""
    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client


@pytest.fixture
def rule_draft() -> RuleTableVersion:
    return RuleTableVersion.objects.get(number=1).copy_as_draft()


# --- external staffing (dispatch, SPEC 4.4): counted and contracted apart from outsourcing -----


@pytest.fixture
def staffed(checked: Assessment) -> Assessment:
    """`checked` and a reception desk whose staff the general-affairs manager directs day to
    day: dispatch, 1,200 hours a year (12 × 6,000 minutes), with personal data (visitors'
    names)."""
    make_task(
        checked,
        position=4,
        department="General affairs",
        process="Reception",
        task="Front desk",
        category="general_affairs",
        confidentiality="personal",
        minutes=Decimal(6000),
        **{**OUTSOURCEABLE, "direct_instruction": "yes", "expertise": 3},
    )
    checked.recompute_results()
    return checked


@pytest.fixture
def staffing_package(staffed: Assessment) -> Package:
    """The staffing package `create_packages` makes for the front desk."""
    staffed.create_packages()
    return staffed.packages.get(model="dispatch")
