"""Django admin stays for site operations (issue 18), in Japanese throughout: its title, the
apps that come without a translation (django-axes, the task queue's records), our fields named
only by their column ("PUBLISHED AT"). The versions are read-only there, with a link to the
administrators' area, and a rule's conditions read in words, never as JSON to edit."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from assessments.models.versions import ChecklistVersion, RuleTableVersion
from outsourcing_advisor.accounts.models import Profile

pytestmark = pytest.mark.django_db

# Words Japanese pages write in Latin letters: acronyms and the sourcing models.
LATIN = {"ID", "IP", "HTTP", "Accept", "GET", "POST", "SHA", "FTE", "BPO", "ITO", "KPO", "SLA"}
LATIN |= {"BCP", "RFP", "KPI", "CSV", "URL", "JSON"}
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def english(text: str) -> list[str]:
    return [word for word in ENGLISH.findall(str(text)) if word not in LATIN]


@pytest.fixture
def admin_ja(admin_client, admin_user):
    Profile.objects.create(user=admin_user, language="ja")
    return admin_client


def test_the_admin_home_is_in_japanese(admin_ja):
    page = admin_ja.get("/admin/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    for leak in [
        "Axes",
        "AXES",
        "Access attempts",
        "Access failures",
        "Access logs",
        "Tasks Database Backend",
        "Task Results",
        "Profiles",
        "Django",
    ]:
        assert leak not in text, leak
    assert "アウトソーシング・アドバイザー サイト運用" in text
    assert "ログイン制限" in text and "処理記録" in text


def test_every_label_of_every_admin_page_is_japanese(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    found = {}
    with translation.override("ja"):
        for model, model_admin in admin.site._registry.items():
            names = [str(model._meta.app_config.verbose_name), str(model._meta.verbose_name)]
            names.append(str(model._meta.verbose_name_plural))
            shown = [*model_admin.get_list_display(request), *model_admin.get_fields(request)]
            for field in shown:
                if field == "__str__":
                    continue
                try:
                    names.append(str(label_for_field(field, model, model_admin)))
                except AttributeError:  # a form's own field (a new user's password): Django's
                    continue
            leaks = sorted({word for name in names for word in english(name)})
            if leaks:
                found[model._meta.label] = leaks
    assert not found, found


def test_the_versions_list_in_japanese_has_no_published_at(admin_ja):
    page = admin_ja.get(reverse("admin:assessments_checklistversion_changelist")).content.decode()
    assert "公開日時" in page and "公開者" in page
    assert "Published at" not in page and "published at" not in page.lower()


def test_a_version_is_read_only_in_the_admin_and_links_to_the_area(admin_client, admin_user):
    draft = ChecklistVersion.objects.latest_published().copy_as_draft()
    url = reverse("admin:assessments_checklistversion_change", args=[draft.pk])
    page = admin_client.get(url).content.decode()
    assert f'href="/administration/checklist/{draft.pk}/" data-area-link' in page
    assert 'name="_save"' not in page and 'name="criteria-0-weight"' not in page
    assert admin_client.post(url, {"note": "edited"}).status_code == 403
    changelist = reverse("admin:assessments_checklistversion_changelist")
    assert admin_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}
    ).status_code in (200, 302)
    draft.refresh_from_db()
    assert not draft.is_published and draft.note == ""
    assert admin_client.get(reverse("admin:assessments_checklistversion_add")).status_code == 403


def test_a_rule_table_shows_its_conditions_in_words_not_json(admin_client, admin_user):
    Profile.objects.create(user=admin_user, language="en")
    rules = RuleTableVersion.objects.latest_published()
    page = admin_client.get(
        reverse("admin:assessments_ruletableversion_change", args=[rules.pk])
    ).content.decode()
    assert 'name="rules-0-conditions"' not in page and "[[" not in page
    assert "Verdict is “Core”" in page or "Verdict is &ldquo;Core&rdquo;" in page
    assert f'href="/administration/rules/{rules.pk}/" data-area-link' in page
