"""Kenji (consultant) drafts the RFP of the BPO package from the inventory, edits it and downloads
it as PDF; a viewer reads it; the stepper's RFP step follows."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from assessments.domain import rfp
from assessments.models import Package, Task
from assessments.models.steps import RfpDraft
from assessments.reporting.progress import workflow_facts

pytestmark = pytest.mark.django_db


def url(name: str, package: Package) -> str:
    return reverse(name, args=[package.assessment_id, package.pk])


def generate(client, package: Package, language: str = "en", **extra: str):
    return client.post(
        url("package_rfp", package), {"action": "generate", "language": language, **extra}
    )


def test_kenji_generates_a_draft_from_the_inventory(consultant_client, bpo):
    assert "No draft yet" in consultant_client.get(url("package_rfp", bpo)).content.decode()
    assert generate(consultant_client, bpo).status_code == 302
    draft = RfpDraft.objects.get(package=bpo)
    # PostgreSQL's jsonb keeps no key order: the pages and the PDF follow rfp.SECTIONS.
    assert draft.language == "en" and set(draft.sections) == set(rfp.SECTION_KEYS)
    assert "2 tasks in HR, Accounting." in draft.sections["current_state"]
    # The invoices task holds personal data: the security section asks for a certification.
    assert "Privacy Mark" in draft.sections["security"]
    # The strategy task of another department stays in-house, but only the package's
    # departments' in-house tasks are exclusions: none here.
    assert "- none named" in draft.sections["scope"]
    page = consultant_client.get(url("package_rfp", bpo)).content.decode()
    assert "Purpose and background" in page and "Download as PDF" in page


def test_a_japanese_draft(consultant_client, bpo):
    generate(consultant_client, bpo, "ja")
    draft = RfpDraft.objects.get(package=bpo)
    assert draft.language == "ja"
    assert "HR、Accounting" in draft.sections["current_state"]


def test_edits_are_saved_and_regenerating_needs_consent(consultant_client, bpo):
    generate(consultant_client, bpo)
    sections = dict.fromkeys(rfp.SECTION_KEYS, "")
    sections["purpose"] = "Our own words <b>bold</b>"
    consultant_client.post(url("package_rfp", bpo), {"action": "save", **sections})
    draft = RfpDraft.objects.get(package=bpo)
    assert draft.sections["purpose"] == "Our own words <b>bold</b>"
    page = consultant_client.get(url("package_rfp", bpo)).content.decode()
    assert "Our own words &lt;b&gt;bold&lt;/b&gt;" in page  # escaped, never markup
    generate(consultant_client, bpo)  # without ticking "replace": kept
    assert RfpDraft.objects.get(package=bpo).sections["purpose"] == "Our own words <b>bold</b>"
    generate(consultant_client, bpo, replace="yes")
    assert RfpDraft.objects.get(package=bpo).sections["purpose"].startswith("Sakura Trading asks")


def test_a_section_longer_than_the_limit_is_refused_and_nothing_saved(consultant_client, bpo):
    generate(consultant_client, bpo)
    before = RfpDraft.objects.get(package=bpo).sections
    sections = {**before, "scope": "x" * 20_001}
    response = consultant_client.post(url("package_rfp", bpo), {"action": "save", **sections})
    assert response.status_code == 200
    assert response.context["form"].errors["scope"]
    assert RfpDraft.objects.get(package=bpo).sections == before


def test_a_viewer_reads_and_downloads_but_cannot_generate_or_edit(
    viewer_client, consultant_client, bpo
):
    assert generate(viewer_client, bpo).status_code == 403
    generate(consultant_client, bpo)
    page = viewer_client.get(url("package_rfp", bpo)).content.decode()
    assert "readonly" in page and "Generate again" not in page
    response = viewer_client.post(url("package_rfp", bpo), {"action": "save", "purpose": "x"})
    assert response.status_code == 403
    assert viewer_client.get(url("package_rfp_pdf", bpo)).status_code == 200


def test_the_pdf_holds_the_draft_as_text(consultant_client, bpo):
    Task.objects.filter(package=bpo, task="Payroll").update(task='<img src="http://x/y.png">給与')
    generate(consultant_client, bpo, "ja")
    response = consultant_client.get(url("package_rfp_pdf", bpo))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''RFP%20BPO" in response["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert '<img src="http://x/y.png">給与' in text  # the task name, as text
    assert RfpDraft.objects.get(package=bpo).sections["purpose"].split("\n")[0][:20] in text


def test_the_pdf_without_a_draft_sends_back_to_the_page(consultant_client, bpo):
    response = consultant_client.get(url("package_rfp_pdf", bpo))
    assert response.status_code == 302 and response["Location"] == url("package_rfp", bpo)


def test_the_rfp_step_is_done_once_every_package_has_a_draft(consultant_client, checked, bpo):
    packages = list(checked.packages.all())
    assert len(packages) == 2
    generate(consultant_client, packages[0])
    assert workflow_facts(checked).rfp_drafts == 1
    generate(consultant_client, packages[1])
    assert workflow_facts(checked).rfp_drafts == 2
