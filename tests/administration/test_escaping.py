"""What administrators and members type, in the administrators' area (issue 18): a draft's
questions, items and notes, and the assessments and tasks its preview names, never come out as
markup; every form of the area is met on one of its pages (tests/test_form_escaping.py walks
the rest of the site as members, to whom the area is a 404)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.html import conditional_escape

from assessments.models import Assessment
from tests.factories import NON_CORE, OUTSOURCEABLE, make_task

pytestmark = pytest.mark.django_db

PAYLOAD = "\"'><b id=xss>"
MARKUP = "<b id=xss"
AREA_FORMS = {
    "ChecklistDraftForm",
    "CriterionForm",
    "EvaluationDraftForm",
    "PublishForm",
    "ReadinessDraftForm",
    "ReadinessItemForm",
    "WeightsForm",
}


def forms_in(response) -> list[forms.BaseForm]:
    """The forms a page was rendered with, a formset's included."""
    found: list[forms.BaseForm] = []
    for context in response.context:
        for layer in context:
            for value in layer.values():
                if isinstance(value, forms.BaseForm):
                    found.append(value)
                elif isinstance(value, BaseFormSet):
                    found.extend([*value.forms, value.empty_form])
    return found


def test_the_area_prints_typed_wording_as_text(
    aoki_client, company_a, checklist_draft, readiness_draft, weights_draft
):
    company_a.name = PAYLOAD
    company_a.save()
    assessment = Assessment.objects.start(organisation=company_a, name=PAYLOAD)
    make_task(
        assessment,
        task=PAYLOAD,
        department=PAYLOAD,
        process=PAYLOAD,
        minutes=Decimal(60),
        **{**OUTSOURCEABLE, "answers": {**NON_CORE, "C5": "yes"}},
    )
    assessment.recompute_results()
    wording = {f"{name}_{lang}": PAYLOAD for name in ("text", "help") for lang in ("ja", "en")}
    checklist_draft.criteria.update(**wording)
    checklist_draft.criteria.filter(code="C5").update(weight=9)  # the task changes: it is named
    readiness_draft.items.update(**wording)
    for draft in (checklist_draft, readiness_draft, weights_draft):
        draft.note = PAYLOAD
        draft.save()
    urls = ["/administration/"]
    for kind, draft in [
        ("checklist", checklist_draft),
        ("readiness", readiness_draft),
        ("vendor-criteria", weights_draft),
    ]:
        urls += [f"/administration/{kind}/", f"/administration/{kind}/{draft.pk}/"]
        urls.append(f"/administration/{kind}/{draft.pk}/publish/")
    seen: set[str] = set()
    for url in urls:
        response = aoki_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert MARKUP not in page, url
        for form in forms_in(response):
            seen.update(cls.__name__ for cls in type(form).__mro__)
            for field in form:
                assert MARKUP not in str(field.help_text), (url, field.name)
                assert MARKUP not in str(conditional_escape(field.label)), (url, field.name)
    publish = aoki_client.get(f"/administration/checklist/{checklist_draft.pk}/publish/")
    assert f'data-assessment="{assessment.pk}"' in publish.content.decode()  # named, escaped
    assert not AREA_FORMS - seen, AREA_FORMS - seen
