"""The command line records what the browser records for the same work: `manage.py assess` with
vendors imports the file and makes the packages, as Kenji does on the import page and with
"create packages"; the same events follow (no person at the command line: no actor)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from outsourcing_advisor.accounts.models import Organisation
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.helpers import package_url

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "docs" / "samples"
INVENTORY = SAMPLES / "inventory_sample_ja.csv"
EVALUATIONS = SAMPLES / "vendor_evaluations_sample.csv"


def events(assessment: Assessment) -> list[tuple]:
    """What an event says, without who or which row: the same work gives the same list."""
    return [
        (e.subject_type, e.action, e.subject_repr, e.changes, e.details)
        for e in Event.objects.filter(assessment=assessment).order_by("id")
    ]


def in_the_browser(client, organisation: Organisation) -> Assessment:
    """A new assessment, the sample imported through upload, preview and confirm, then the
    packages created from the recommendations."""
    data = {"name": "Back office", "description": ""}
    created = client.post(reverse("assessment_create", args=[organisation.pk]), data)
    assert created.status_code == 302
    assessment = Assessment.objects.get(organisation=organisation, name="Back office")
    file = SimpleUploadedFile(INVENTORY.name, INVENTORY.read_bytes())
    preview = client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    assert preview.status_code == 302
    confirmed = client.post(preview["Location"], {"replace": "1", "confirm": "on"})
    assert confirmed.status_code == 302
    assert client.post(package_url("packages_create", assessment)).status_code == 302
    return assessment


def test_assess_records_the_import_and_the_packages_as_the_browser_does(
    consultant_client, company_a
):
    call_command(
        "assess",
        str(INVENTORY),
        *("--vendors", str(EVALUATIONS), "--org", company_a.name, "--lang", "en"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    command = Assessment.objects.get(organisation=company_a)
    browser = in_the_browser(consultant_client, company_a)

    found = events(command)
    assert found == events(browser)
    assert [(kind, action) for kind, action, *_rest in found] == [
        (SubjectType.INVENTORY, Action.IMPORTED),
        *[(SubjectType.PACKAGE, Action.CREATED)] * command.packages.count(),
    ]
    assert command.packages.count() > 1  # one per model recommended
    assert not Event.objects.filter(assessment=command, actor__isnull=False).exists()
    assert {e.actor_name for e in Event.objects.filter(assessment=command)} == {""}
