"""The test data, made in one place: people and their memberships, tasks, packages and vendors.

Each factory takes the values a test cares about and supplies the rest; the fixtures of
tests/conftest.py and the tests build their data with these."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from assessments.models import Assessment, Package, Task
from assessments.models.versions import ChecklistVersion, EvaluationVersion, RuleTableVersion
from outsourcing_advisor.accounts.models import Membership, Organisation, Profile, Role
from vendors.models import Certification, SecurityCheck, Vendor

PASSWORD = "correct-horse-battery-staple"

# --- people ------------------------------------------------------------------------------------


def make_user(username: str, language: str = "en") -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    Profile.objects.create(user=user, language=language)
    return user


def make_member(
    username: str, organisation: Organisation, role: Role | str, language: str = "en"
) -> User:
    """A new user, a member of `organisation` with `role`."""
    user = make_user(username, language=language)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


# --- tasks -------------------------------------------------------------------------------------

# Non-core: the keep items are all "no"; C3, C9 and C10 yes, C8 partly, C4 no, C6 caution no.
# Suitability = 50 + 50 × 3.5 / 9 = 69.44 with the default weights (all 1).
NON_CORE = {
    "C1": "no",
    "C2": "no",
    "C3": "yes",
    "C4": "no",
    "C5": "no",
    "C6": "no",
    "C7": "no",
    "C8": "partly",
    "C9": "yes",
    "C10": "yes",
}

# What makes a task a non-core, monthly, outsourceable one.
OUTSOURCEABLE = {
    "continuity": "ongoing",
    "direct_instruction": "no",
    "judgment": "low",
    "requirement_changes": "low",
    "tacit_knowledge": "low",
    "frequency": "monthly",
    "people": 1,
    "expertise": 2,
    "answers": NON_CORE,
}

# What a task is when a test does not say: the rest are the model's defaults.
TASK_DEFAULTS: dict[str, Any] = {
    "department": "D",
    "process": "P",
    "task": "T",
    "category": "other",
}


def build_task(assessment: Assessment, **fields: Any) -> Task:
    """A task of `assessment`, not saved (for bulk_create): the given fields, the defaults else."""
    return Task(assessment=assessment, **{**TASK_DEFAULTS, **fields})


def make_task(assessment: Assessment, **fields: Any) -> Task:
    """A saved task of `assessment`: the given fields, the defaults else."""
    return Task.objects.create(assessment=assessment, **{**TASK_DEFAULTS, **fields})


def start_assessment_with(
    organisation: Organisation, name: str, answers: dict[str, dict[str, str]], process: str
) -> Assessment:
    """A new assessment holding one outsourceable task per name of `answers` (its check's
    answers), 120 minutes each, checked with the published versions."""
    assessment = Assessment.objects.start(organisation=organisation, name=name)
    for position, (task, given) in enumerate(answers.items()):
        make_task(
            assessment,
            position=position,
            task=task,
            department="HR",
            process=process,
            minutes=Decimal(120),
            **{**OUTSOURCEABLE, "answers": given},
        )
    assessment.recompute_results()
    return assessment


# --- versions ----------------------------------------------------------------------------------


def publish_newer_versions(user: User) -> None:
    """What an administrator might publish next (issue 18's version moves): checklist v2
    (non-core from 70, C10 reworded), the rules with KPO needing expertise 4 for analysis and
    legal work and a new contact-centre rule, vendor criteria v2 (security 25, improvement 5).
    An ongoing expertise-3 analysis task moves from KPO to BPO; a task at 69.4 becomes
    borderline."""
    checklist = ChecklistVersion.objects.latest_published().copy_as_draft()
    checklist.non_core_at = Decimal(70)
    checklist.save()
    checklist.criteria.filter(code="C10").update(
        text_en="Would outside know-how do it better?", text_ja="外部のノウハウの方が優れますか？"
    )
    checklist.publish(user)
    rules = RuleTableVersion.objects.latest_published().copy_as_draft()
    kpo = rules.rules.get(code="knowledge_work_kpo")
    kpo.conditions[0][1] = ["expertise", "ge", 4]
    kpo.save()
    catch_all = rules.rules.get(code="operation_bpo")
    rules.rules.create(
        order=catch_all.order, code="contact_centre_bpo", outcome="bpo",
        conditions=[[["category", "eq", "customer_support"], ["continuity", "eq", "ongoing"]]],
        explanation_ja="継続的な顧客対応のため、BPOが適しています。",
        explanation_en="Continuous customer contact: BPO fits.",
    )  # fmt: skip
    catch_all.order += 1
    catch_all.save()
    rules.publish(user)
    evaluation = EvaluationVersion.objects.latest_published().copy_as_draft()
    evaluation.weights.filter(criterion="security").update(weight=25)
    evaluation.weights.filter(criterion="improvement").update(weight=5)
    evaluation.publish(user)


# --- packages ----------------------------------------------------------------------------------


def make_package(assessment: Assessment, model: str, name: str, **fields: Any) -> Package:
    return Package.objects.create(assessment=assessment, model=model, name=name, **fields)


def same_quotes(*bids: Any, monthly_fee: int = 500_000) -> None:
    """The same subscription quote for every bid: price points are equal (100 each), so the
    combined ranking follows quality, as tests about the scores want."""
    for bid in bids:
        bid.pricing_model = "subscription"
        bid.monthly_fee = Decimal(monthly_fee)
        bid.save()


# --- vendors -----------------------------------------------------------------------------------

TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)
LAST_MONTH = TODAY - datetime.timedelta(days=30)
# The five items of a vendor's security check.
SECURITY_ITEMS = [
    "certifications",
    "access_control",
    "audit_logs",
    "resubcontracting",
    "incident_response",
]


def make_certified_vendor(
    name: str, services: list[str], *certifications: str, **fields: Any
) -> Vendor:
    """A vendor of the registry offering `services`, holding `certifications` (kinds, without a
    number or an expiry)."""
    vendor = Vendor.objects.create(name=name, services=services, **fields)
    for kind in certifications:
        Certification.objects.create(vendor=vendor, kind=kind)
    return vendor


def make_vendor(name: str, *, expired_isms: bool = False) -> Vendor:
    """A BPO vendor in Osaka with an ISMS (lapsed last month if `expired_isms`) and an ISO 9001
    certification, whose security check has the first three items met and the fourth not."""
    vendor = Vendor.objects.create(name=name, services=["bpo"], locations="大阪")
    Certification.objects.create(
        vendor=vendor, kind="isms", expires_on=LAST_MONTH if expired_isms else NEXT_YEAR
    )
    Certification.objects.create(vendor=vendor, kind="iso9001", expires_on=None)
    for item in SECURITY_ITEMS[:3]:
        SecurityCheck.objects.create(vendor=vendor, item=item, status="met")
    SecurityCheck.objects.create(vendor=vendor, item=SECURITY_ITEMS[3], status="not_met")
    return vendor
