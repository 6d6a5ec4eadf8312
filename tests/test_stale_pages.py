"""No lost updates on the pages issue 13 found without them (organisation settings, the RFP draft,
the KPI form), and a clear answer, not a 404, to a change whose record went meanwhile (an upload
imported already, a package merged away). As in tests/test_lost_updates.py: two people open the
same page, the first save wins, the second is refused with what is stored now, their input kept;
saving again is a deliberate choice to replace the other's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.domain import rfp
from assessments.models import Assessment, InventoryImport, Package
from assessments.models.steps import Kpi, RfpDraft
from outsourcing_advisor.accounts.models import Organisation
from tests.assessments.files import FIVE_TASKS

pytestmark = pytest.mark.django_db


def opened(client: Client, url: str, form: str = "form", **query: Any) -> dict[str, Any]:
    """What the page's form would post unchanged: its fields as shown, with the stamp."""
    response = client.get(url, query)
    assert response.status_code == 200
    shown = response.context[form]
    data = {shown.add_prefix(name): shown[name].value() for name in shown.fields}
    assert data[shown.add_prefix("seen")], "the stamp of the record's last change"
    return {name: "" if value is None else value for name, value in data.items()}


def refusal(response, form: str = "form") -> str:
    assert response.status_code == 200
    errors = response.context[form].non_field_errors()
    assert len(errors) == 1
    return errors[0]


def told(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- organisation settings -------------------------------------------------------------------


def settings_url(organisation: Organisation) -> str:
    return reverse("organisation_settings", args=[organisation.pk])


def test_a_stale_save_of_the_organisation_settings_is_refused_and_the_first_stays(
    manager_client, consultant_client, company_a
):
    url = settings_url(company_a)
    hanakos, kenjis = opened(manager_client, url), opened(consultant_client, url)
    assert manager_client.post(url, {**hanakos, "hourly_cost": "3500"}).status_code == 302

    response = consultant_client.post(url, {**kenjis, "hourly_cost": "4000", "working_days": "230"})
    message = refusal(response)
    assert "Someone else saved the organisation settings while you were editing" in message
    assert "Loaded hourly cost (yen): now “3500” (yours: “4000”)" in message
    assert "Nothing was saved" in message
    company_a.refresh_from_db()
    assert (company_a.hourly_cost, company_a.working_days) == (Decimal(3500), 240)
    form = response.context["form"]
    assert form["hourly_cost"].value() == "4000" and form["working_days"].value() == "230"
    assert form["seen"].value() == company_a.updated_at.isoformat()
    page = response.content.decode()
    assert 'name="seen"' in page and 'value="4000"' in page
    assert response.context["organisation"].name == "Sakura Trading"

    # Saving again is his deliberate choice.
    again = {**kenjis, "hourly_cost": "4000", "working_days": "230", "seen": form["seen"].value()}
    assert consultant_client.post(url, again).status_code == 302
    company_a.refresh_from_db()
    assert company_a.hourly_cost == Decimal(4000)


def test_organisation_settings_saved_without_a_conflict_work(manager_client, company_a):
    url = settings_url(company_a)
    data = opened(manager_client, url)
    assert manager_client.post(url, {**data, "industry": "Trading"}).status_code == 302
    company_a.refresh_from_db()
    assert company_a.industry == "Trading"


def test_a_viewer_does_not_see_the_stamp_as_a_setting(viewer_client, company_a):
    page = viewer_client.get(settings_url(company_a)).content.decode()
    assert "Seen" not in page and 'name="seen"' not in page


# --- the RFP draft -----------------------------------------------------------------------------


def rfp_url(package: Package) -> str:
    return reverse("package_rfp", args=[package.assessment_id, package.pk])


@pytest.fixture
def drafted(consultant_client, bpo) -> Package:
    response = consultant_client.post(rfp_url(bpo), {"action": "generate", "language": "en"})
    assert response.status_code == 302
    return bpo


def test_a_stale_save_of_the_rfp_draft_is_refused_and_the_first_stays(
    manager_client, consultant_client, drafted
):
    url = rfp_url(drafted)
    hanakos, kenjis = opened(manager_client, url), opened(consultant_client, url)
    saved = {**hanakos, "action": "save", "purpose": "Hanako's purpose"}
    assert manager_client.post(url, saved).status_code == 302

    mine = {**kenjis, "action": "save", "scope": "Kenji's scope"}
    response = consultant_client.post(url, mine)
    message = refusal(response)
    assert "hanako saved the RFP draft while you were editing it" in message
    assert "Purpose" in message and "Scope" in message  # the sections that differ from his
    assert "Nothing was saved" in message
    draft = RfpDraft.objects.get(package=drafted)
    assert draft.sections["purpose"] == "Hanako's purpose"
    assert draft.sections["scope"] != "Kenji's scope"
    form = response.context["form"]
    assert form["scope"].value() == "Kenji's scope"  # his input, kept
    assert form["seen"].value() == draft.updated_at.isoformat()
    page = response.content.decode()
    assert "Hanako&#x27;s purpose" in page  # what is stored now, shown beside his text
    assert page.count('name="seen"') == 2  # the save form and the generate form

    again = {name: form[name].value() for name in form.fields} | {"action": "save"}
    assert consultant_client.post(url, again).status_code == 302
    assert RfpDraft.objects.get(package=drafted).sections["scope"] == "Kenji's scope"


def test_an_rfp_draft_saved_without_a_conflict_works(consultant_client, drafted):
    url = rfp_url(drafted)
    data = {**opened(consultant_client, url), "action": "save", "purpose": "Ours"}
    assert consultant_client.post(url, data).status_code == 302
    assert RfpDraft.objects.get(package=drafted).sections["purpose"] == "Ours"


def test_generating_again_over_edits_made_since_the_page_was_read_is_refused(
    manager_client, consultant_client, drafted
):
    url = rfp_url(drafted)
    kenjis = opened(consultant_client, url)
    hanakos = opened(manager_client, url)
    saved = {**hanakos, "action": "save", "purpose": "Hanako's purpose"}
    assert manager_client.post(url, saved).status_code == 302

    generate = {"action": "generate", "language": "en", "replace": "yes", "seen": kenjis["seen"]}
    response = consultant_client.post(url, generate)
    assert response.status_code == 302
    (message,) = told(response)
    assert "hanako generated or saved this package's RFP draft meanwhile" in message
    assert "nothing was generated" in message
    assert RfpDraft.objects.get(package=drafted).sections["purpose"] == "Hanako's purpose"
    # With the page as it is now, replacing is his deliberate choice.
    fresh = opened(consultant_client, url)
    consultant_client.post(url, {**generate, "seen": fresh["seen"]})
    purpose = RfpDraft.objects.get(package=drafted).sections["purpose"]
    assert purpose.startswith("Sakura Trading asks")


def test_the_rfp_sections_post_as_before_without_a_stamp(consultant_client, drafted):
    """A post without any stamp (a script) is not checked, as everywhere."""
    sections = dict.fromkeys(rfp.SECTION_KEYS, "x")
    response = consultant_client.post(rfp_url(drafted), {"action": "save", **sections})
    assert response.status_code == 302


# --- a KPI ---------------------------------------------------------------------------------------


def operation_url(assessment: Assessment) -> str:
    return reverse("workflow_operation", args=[assessment.pk])


@pytest.fixture
def errors(assessment) -> Kpi:
    return Kpi.objects.create(
        assessment=assessment, name="Errors", unit="cases", target=Decimal(2), direction="lower"
    )


def test_a_stale_save_of_a_kpi_is_refused_and_the_first_stays(
    manager_client, consultant_client, assessment, errors
):
    url = operation_url(assessment)
    hanakos = opened(manager_client, url, "kpi_form", edit=errors.pk)
    kenjis = opened(consultant_client, url, "kpi_form", edit=errors.pk)
    saved = {**hanakos, "kpi": errors.pk, "kpi-target": "1"}
    assert manager_client.post(url, saved).status_code == 302

    response = consultant_client.post(url, {**kenjis, "kpi": errors.pk, "kpi-target": "3"})
    message = refusal(response, "kpi_form")
    assert "Someone else saved the KPI “Errors” while you were editing it" in message
    assert "Target: now “1” (yours: “3”)" in message
    errors.refresh_from_db()
    assert errors.target == Decimal(1)
    form = response.context["kpi_form"]
    assert form["target"].value() == "3"
    assert form["seen"].value() == errors.updated_at.isoformat()
    assert response.context["editing"] == errors
    page = response.content.decode()
    assert 'name="kpi-seen"' in page and 'name="kpi" value="' in page

    again = {form.add_prefix(name): form[name].value() or "" for name in form.fields}
    assert consultant_client.post(url, {**again, "kpi": errors.pk}).status_code == 302
    errors.refresh_from_db()
    assert errors.target == Decimal(3)


def test_a_kpi_saved_without_a_conflict_works(manager_client, assessment, errors):
    url = operation_url(assessment)
    data = {**opened(manager_client, url, "kpi_form", edit=errors.pk), "kpi": errors.pk}
    assert manager_client.post(url, {**data, "kpi-unit": "errors"}).status_code == 302
    errors.refresh_from_db()
    assert errors.unit == "errors"


# --- an upload imported already, a package merged away -------------------------------------


def test_a_preview_confirmed_again_after_the_import_is_told_so(manager_client, assessment):
    response = manager_client.post(
        reverse("import_upload", args=[assessment.pk]),
        {"file": SimpleUploadedFile("inventory.csv", FIVE_TASKS)},
    )
    preview = response["Location"]
    confirmed = {"replace": "1", "confirm": "on"}
    response = manager_client.post(preview, confirmed, follow=True)
    assert response.redirect_chain == [(reverse("assessment_detail", args=[assessment.pk]), 302)]

    response = manager_client.post(preview, confirmed)  # the back button, or another tab
    assert response.status_code == 302
    assert response["Location"] == reverse("import_upload", args=[assessment.pk])
    assert told(response) == [
        "This upload has already been imported (or was dropped): nothing was imported again. "
        "The latest imports are listed below."
    ]
    assert assessment.tasks.count() == 5 and InventoryImport.objects.count() == 1
    assert manager_client.get(preview).status_code == 404  # only a post is answered so


def test_merging_from_a_page_read_before_another_merge_is_told_so(
    consultant_client,
    manager_client,
    checked,
):
    checked.create_packages()
    bpo, ito = checked.packages.get(model="bpo"), checked.packages.get(model="ito")
    merge = reverse("package_merge", args=[checked.pk, bpo.pk])
    assert consultant_client.post(merge, {"other": ito.pk}).status_code == 302

    # Hanako's page still shows the ITO package: merging it into BPO, or BPO into it.
    response = manager_client.post(
        reverse("package_merge", args=[checked.pk, ito.pk]), {"other": bpo.pk}, follow=True
    )
    assert response.redirect_chain == [(reverse("packages", args=[checked.pk]), 302)]
    assert told(response) == [
        "This package no longer exists: it was merged into another one or deleted meanwhile. "
        "Nothing was changed."
    ]
    response = manager_client.post(merge, {"other": ito.pk})
    assert told(response) == [
        "The package to merge with no longer exists: it was merged into another one or deleted "
        "meanwhile. Nothing was changed."
    ]
    assert list(checked.packages.all()) == [bpo] and bpo.tasks.count() == 3
