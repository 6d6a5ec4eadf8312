"""What the product says about the law, as Kenji (consultant) and Hanako (manager) read it: the
deemed offer of employment only with its conditions (労働者派遣法第40条の6第1項第5号), the
告示37号 checklist where "yes" is always the safe answer and its 第2条第2号ハ alternatives, the
report counting what remains unanswered, licences held by the vendor itself, and the task form's
choices said in words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.domain import independence
from assessments.models import Package, Task
from assessments.reporting import report
from assessments.web.forms import TaskForm
from tests.factories import make_task
from tests.helpers import package_url

pytestmark = pytest.mark.django_db

CLEAR = {item.key: item.safe for item in independence.ITEMS}


def checklist_url(package: Package) -> str:
    return reverse("package_independence", args=[package.assessment_id, package.pk])


def answer(client: Any, package: Package, answers: dict[str, str]) -> None:
    data = {key: answers.get(key, "") for key in independence.KEYS}
    response = client.post(checklist_url(package), {**data, "seen": package.independence_stamp})
    assert response.status_code == 302
    package.refresh_from_db()


def card(client: Any, package: Package) -> str:
    page = client.get(package_url("packages", package.assessment)).content.decode()
    return page.split(f'id="package-{package.pk}"')[1].split("</section>")[0]


# --- the deemed offer of employment, with its conditions --------------------------------------


def test_the_warning_states_the_deemed_offer_only_with_its_conditions(consultant_client, bpo):
    answer(consultant_client, bpo, {**CLEAR, "instructs": "no"})
    words = card(consultant_client, bpo)
    assert "may be deemed to have offered employment" in words
    assert "to evade the dispatch law" in words
    assert "第40条の6第1項第5号" in words
    assert "is deemed" not in words and "it is disguised contracting" not in words
    assert "the typical state that is judged to be disguised contracting" in words


def test_the_report_states_the_deemed_offer_only_with_its_conditions(checked, consultant):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    bpo.save_independence({**CLEAR, "instructs": "no"}, consultant)
    with translation.override("en"):
        content = report.build_report(checked, viewer=None)
    risk = next(r for r in content.risks if r.code == "disguised_contracting")
    for words in (risk.meaning, risk.evidence):
        assert "is deemed" not in words
        assert "may" in words and "evade the dispatch law" in words


# --- the checklist: "yes" is safe, 第2条第2号ハ's alternatives --------------------------------


def test_answering_yes_everywhere_clears_the_package_and_the_title_quotes_its_name(
    consultant_client, bpo
):
    page = consultant_client.get(checklist_url(bpo)).content.decode()
    assert f"告示37号 checklist of “{bpo.name}”" in page
    assert "The work is done at the vendor&#x27;s own premises" in page
    answer(consultant_client, bpo, {key: independence.YES for key in independence.KEYS})
    assert 'data-independence="clear"' in card(consultant_client, bpo)


def test_the_checklist_says_equipment_or_expertise_is_enough(consultant_client, bpo):
    page = consultant_client.get(checklist_url(bpo)).content.decode()
    row = page.split('data-item="own_means"')[1].split("</tr>")[0]
    assert "告示37号 第2条第2号ハ asks for either" in row
    # No own equipment, but the vendor's own expertise: the notice is met, nothing warns.
    answer(consultant_client, bpo, {**CLEAR, "own_means": "no"})
    assert 'data-independence="clear"' in card(consultant_client, bpo)
    # Neither: labour only.
    answer(consultant_client, bpo, {**CLEAR, "own_means": "no", "more_than_labour": "no"})
    words = card(consultant_client, bpo)
    assert 'data-independence="warning"' in words
    assert "The vendor supplies only people" in words and "職業安定法第44条" in words


def test_an_old_on_site_answer_is_read_as_its_opposite(consultant_client, bpo):
    # Stored before the item asked "at the vendor's premises?": "yes" meant on the client's.
    Package.objects.filter(pk=bpo.pk).update(independence={**CLEAR_OLD, "on_site": "yes"})
    bpo.refresh_from_db()
    page = consultant_client.get(checklist_url(bpo)).content.decode()
    row = page.split('data-item="off_site"')[1].split("</tr>")[0]
    checked = [tag for tag in re.findall(r"<input[^>]*>", row) if " checked" in tag]
    assert len(checked) == 1 and 'value="no"' in checked[0]
    assert "The work is done on your premises (常駐)" in card(consultant_client, bpo)
    # Saving rewrites it under the current key.
    answer(consultant_client, bpo, {**CLEAR, "off_site": "no"})
    assert bpo.independence == {**CLEAR, "off_site": "no"}


CLEAR_OLD = {key: value for key, value in CLEAR.items() if key != "off_site"}


def test_the_report_counts_what_remains_unanswered_per_package(checked, consultant):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    bpo.save_independence({"instructs": "yes", "manages_hours": "yes"}, consultant)
    with translation.override("en"):
        content = report.build_report(checked, viewer=None)
        steps = [step.title + " " + step.detail for step in content.next_steps]
    risk = next(r for r in content.risks if r.code == "disguised_contracting")
    assert "Unanswered items of the 告示37号 checklist remain" in risk.evidence
    assert "“BPO: HR, Accounting”: 6 items" in risk.evidence
    assert "“ITO: IT”: 8 items" in risk.evidence
    assert "not answered yet" not in risk.evidence
    step = next(s for s in steps if s.startswith("Answer the 告示37号 checklist"))
    assert "Unanswered items remain (“BPO: HR, Accounting”: 6 items" in step


# --- licences: the vendor's own --------------------------------------------------------------


def test_the_vendor_form_asks_for_the_vendors_own_licences(consultant_client):
    page = consultant_client.get(reverse("vendor_create")).content.decode()
    assert "works with a partner" not in page
    assert "the vendor itself holds" in page
    assert "a partner's licence does not count" in page
    assert "contracted with the registered professional" in page
    select = page.split('name="certifications-0-kind"')[1].split("</select>")[0]
    assert '<option value="" selected>Choose the kind</option>' in select
    assert "---------" not in select


# --- the task form's choices in words ------------------------------------------------------


def test_the_task_form_says_none_and_yes_or_no(manager_client, assessment):
    task = make_task(assessment, task="File social-insurance forms")
    url = reverse("task_edit", args=[task.assessment_id, task.pk])
    page = manager_client.get(url).content.decode()
    licensed = page.split('name="licensed_work"')[1].split("</select>")[0]
    on_site = page.split('name="on_site"')[1].split("</select>")[0]
    assert '<option value="" selected>None</option>' in licensed
    assert '<option value="" selected>Not stated</option>' in on_site
    assert '<option value="yes">Yes</option>' in on_site
    assert '<option value="no">No</option>' in on_site
    assert "---------" not in licensed + on_site
    assert "needs a 士業 qualification to be done for others for a fee" in page
    assert "leave it at “None”" in page

    form = TaskForm(instance=task)
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in {**data, "on_site": "no"}.items()}
    assert manager_client.post(url, data).status_code == 302
    assert Task.objects.get(pk=task.pk).on_site == "no"


@pytest.mark.parametrize(
    ("language", "conditions"),
    [
        ("ja", ("過失がない場合を除き", "第40条の6第1項第3号・第4号")),
        ("en", ("neither knew nor could have known", "40条の6第1項第3号・第4号")),
    ],
)
def test_the_three_year_limit_states_the_deemed_offer_with_its_exception(language, conditions):
    """Past the period limit the offer is deemed, save for a client that neither knew nor could
    have known: the warning says so, and names the items of the article that apply."""
    from assessments.reporting import explain

    with translation.override(language):
        text = explain.warning("dispatch_term_limit").advice
    for condition in conditions:
        assert condition in text
