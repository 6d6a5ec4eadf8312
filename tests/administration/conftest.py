"""The people of the administrators' area: Aoki, a site administrator (staff, no organisation),
and the members of company A from tests/conftest.py, who are not administrators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessments.models.drafts import start_draft
from assessments.models.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    RuleTableVersion,
)
from tests.factories import make_user
from tests.helpers import client_for


@pytest.fixture
def aoki(db) -> User:
    """A site administrator: staff, but no superuser and a member of no organisation."""
    user = make_user("aoki", language="en")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def aoki_client(aoki: User) -> Client:
    return client_for(aoki)


@pytest.fixture
def checklist_draft(aoki: User) -> ChecklistVersion:
    return start_draft(ChecklistVersion.objects.latest_published(), aoki)


@pytest.fixture
def weights_draft(aoki: User) -> EvaluationVersion:
    return start_draft(EvaluationVersion.objects.latest_published(), aoki)


@pytest.fixture
def readiness_draft(aoki: User) -> ReadinessVersion:
    return start_draft(ReadinessVersion.objects.latest_published(), aoki)


@pytest.fixture
def rules_draft(aoki: User) -> RuleTableVersion:
    return start_draft(RuleTableVersion.objects.latest_published(), aoki)
