"""The people of the tests: a manager, a viewer and a consultant of company A, and an outsider
who manages company B. Every view that takes an id is tested with the outsider."""

import importlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models import Assessment, Task
from outsourcing_advisor.accounts.models import Membership, Organisation, Profile, Role

PASSWORD = "correct-horse-battery-staple"

# The data migrations that publish the default checklist, rules, vendor weights and readiness items.
DATA_MIGRATIONS = (
    "0003_publish_default_versions",
    "0006_publish_default_vendor_weights",
    "0008_publish_default_readiness",
)


def restore_published_defaults() -> None:
    """A transactional test empties the tables the data migrations filled (the first one to run
    still has them): publish the defaults again when they are missing."""
    from django.apps import apps

    from assessments.models.versions import ChecklistVersion

    if not ChecklistVersion.objects.exists():
        for name in DATA_MIGRATIONS:
            importlib.import_module(f"assessments.migrations.{name}").publish_defaults(apps, None)


@pytest.fixture
def published_defaults(transactional_db) -> None:
    restore_published_defaults()


def make_user(username: str, language: str = "en") -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    Profile.objects.create(user=user, language=language)
    return user


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
    user = make_user("hanako")
    Membership.objects.create(user=user, organisation=company_a, role=Role.MANAGER)
    return user


@pytest.fixture
def viewer(company_a) -> User:
    user = make_user("viewer")
    Membership.objects.create(user=user, organisation=company_a, role=Role.VIEWER)
    return user


@pytest.fixture
def consultant(company_a, company_b) -> User:
    user = make_user("kenji")
    Membership.objects.create(user=user, organisation=company_a, role=Role.CONSULTANT)
    Membership.objects.create(user=user, organisation=company_b, role=Role.CONSULTANT)
    return user


@pytest.fixture
def outsider(company_b) -> User:
    user = make_user("outsider")
    Membership.objects.create(user=user, organisation=company_b, role=Role.MANAGER)
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


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
    Task.objects.create(
        assessment=assessment,
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
    Task.objects.create(
        assessment=assessment,
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
