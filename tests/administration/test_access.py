"""Who may use the administrators' area (issue 18): site administrators (staff) only. Nobody
signed in is sent to sign in; a member of an organisation who is not staff gets 404 on every
page, as for any page that is not theirs; a published version is never edited (404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models.versions import ChecklistVersion, Status
from outsourcing_advisor.accounts.models import Profile

pytestmark = pytest.mark.django_db

KINDS = ["checklist", "decision-table", "vendor-criteria", "readiness"]


@pytest.fixture
def pages(checklist_draft, weights_draft, readiness_draft, rules_draft) -> list[str]:
    """Every page of the area, with a draft of each kind."""
    drafts = {
        "checklist": checklist_draft,
        "decision-table": rules_draft,
        "vendor-criteria": weights_draft,
        "readiness": readiness_draft,
    }
    found = ["/administration/"]
    for kind, draft in drafts.items():
        found += [
            f"/administration/{kind}/",
            f"/administration/{kind}/{draft.pk}/",
            f"/administration/{kind}/{draft.pk}/publish/",
        ]
    return found


def test_nobody_signed_in_is_sent_to_sign_in(client: Client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_manager_who_is_not_staff_gets_404_everywhere(manager_client: Client, pages):
    draft = ChecklistVersion.objects.get(status=Status.DRAFT)
    for url in pages:
        assert manager_client.get(url).status_code == 404, url
    for url in [
        "/administration/checklist/start/",
        f"/administration/checklist/{draft.pk}/discard/",
        f"/administration/checklist/{draft.pk}/publish/",
        f"/administration/checklist/{draft.pk}/",
    ]:
        assert manager_client.post(url, {"source": draft.pk}).status_code == 404, url
    assert ChecklistVersion.objects.filter(status=Status.DRAFT).count() == 1
    draft.refresh_from_db()
    assert not draft.is_published


def test_an_administrator_sees_every_page(aoki_client: Client, pages):
    for url in pages:
        response = aoki_client.get(url)
        if "/decision-table/" in url and not url.endswith("/publish/"):
            # The decision table's versions and drafts are its editor's (rule_editor_views.py).
            assert response.status_code == 302, url
            assert response["Location"].startswith("/administration/rules/"), url
        else:
            assert response.status_code == 200, url


def test_a_published_version_is_not_a_draft_to_edit(aoki_client: Client, checklist_draft):
    published = ChecklistVersion.objects.latest_published()
    for url in [
        f"/administration/checklist/{published.pk}/",
        f"/administration/checklist/{published.pk}/publish/",
        "/administration/checklist/999999/",
        "/administration/gardening/",
    ]:
        assert aoki_client.get(url).status_code == 404, url
    response = aoki_client.post(f"/administration/checklist/{published.pk}/discard/")
    assert response.status_code == 404
    assert ChecklistVersion.objects.filter(pk=published.pk).exists()


def test_the_navbar_links_the_area_for_administrators_only(aoki_client, manager_client):
    assert 'href="/administration/"' in aoki_client.get("/").content.decode()
    assert 'href="/administration/"' not in manager_client.get("/").content.decode()


def test_an_administrator_without_an_organisation_is_shown_the_way_to_the_area(aoki_client):
    page = aoki_client.get("/").content.decode()
    assert "data-administrator" in page and "Open the administrators' area" in page
    assert "Ask a manager of your organisation to invite you" not in page


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("ja", "標準のチェックリスト（初版）", "SPEC"),
        ("en", "The standard decision table (first edition)", "SPEC"),
    ],
)
def test_the_shipped_versions_notes_read_in_the_administrators_language(
    aoki, aoki_client: Client, language, shown, hidden
):
    """The versions the migrations publish carried notes such as “SPEC 4.3 defaults”, in
    English on a Japanese page: they read as the product's own words."""
    Profile.objects.filter(user=aoki).update(language=language)
    page = aoki_client.get(reverse("administration_home")).content.decode()
    assert shown in page and hidden not in page
