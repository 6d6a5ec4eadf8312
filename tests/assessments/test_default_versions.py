"""The first published checklist and rule table are the defaults of SPEC 4.3 and 4.4, and a new
assessment is pinned to the latest published versions."""

import importlib
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.domain import defaults
from assessments.models import Assessment, TaskResult
from assessments.models.versions import ChecklistCriterion, ChecklistVersion, RuleTableVersion

pytestmark = pytest.mark.django_db

# An accounting task that is clearly non-core, and a sales task that is core (C1 and C2 yes).
CHECKED_SHEET = (
    b"department,process,task,category,frequency,minutes,continuity,"
    b"C1,C2,C3,C4,C5,C6,C7,C8,C9,C10\n"
    b"Accounting,Invoicing,Issue invoices,accounting,monthly,600,ongoing,"
    b"no,no,yes,no,no,no,no,yes,yes,yes\n"
    b"Sales,Key accounts,Negotiate prices,sales_marketing,weekly,120,ongoing,"
    b"yes,yes,no,no,yes,no,yes,no,no,no\n"
)


def import_sheet(client, assessment, name, content):
    """Upload, preview and import a file with nothing to decide into a new assessment."""
    file = SimpleUploadedFile(name, content)
    preview = client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    assert client.get(preview["Location"]).status_code == 200, "nothing to decide"
    response = client.post(preview["Location"], {"replace": "1"})
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])


def test_the_revised_rules_are_the_latest_version_and_the_specification_defaults():
    checklist = ChecklistVersion.objects.latest_published()
    rules = RuleTableVersion.objects.latest_published()
    assert (checklist.number, rules.number) == (2, 2)
    # Checklist v2 is v1 scored over every question (migration 0020); v1 stays as published.
    assert checklist.as_domain() == replace(defaults.CRITERIA, scoring="all")
    assert ChecklistVersion.objects.get(number=1).as_domain() == defaults.CRITERIA
    assert rules.as_domain() == defaults.RULES
    assert checklist.problems() == [] and rules.problems() == []


def test_version_1_of_the_rules_stays_as_it_was_published():
    first = importlib.import_module("assessments.migrations.0003_publish_default_versions")
    version_1 = RuleTableVersion.objects.get(number=1)
    assert [
        (r.code, r.outcome, r.conditions, r.explanation_ja, r.explanation_en)
        for r in version_1.rules.all()
    ] == list(first.RULES)
    assert [r.code for r in version_1.rules.all()][:3] == [
        "core_in_house",
        "unsuited_in_house",
        "direct_instruction_dispatch",
    ]


def test_every_rule_has_both_languages_and_the_unsuited_rule_names_its_factors():
    rules = RuleTableVersion.objects.latest_published().rules.all()
    assert all(rule.explanation_ja and rule.explanation_en for rule in rules)
    unsuited = rules.get(code="unsuited_in_house")
    assert "{factors}" in unsuited.explanation_ja and "{factors}" in unsuited.explanation_en
    assert [r.code for r in rules if r.outcome == "in_house"] == [
        "core_in_house",
        "unsuited_in_house",
        "no_deliverable_in_house",
    ]


def test_every_question_has_both_languages_and_help():
    for criterion in ChecklistCriterion.objects.all():
        assert criterion.text_ja and criterion.text_en and criterion.help_ja and criterion.help_en


def test_a_new_assessment_is_pinned_to_the_latest_versions(manager_client, company_a):
    manager_client.post(reverse("assessment_create", args=[company_a.pk]), {"name": "FY2027"})
    assessment = Assessment.objects.get(name="FY2027")
    assert assessment.checklist_version == ChecklistVersion.objects.latest_published()
    assert assessment.rule_version == RuleTableVersion.objects.latest_published()


def test_a_draft_with_a_negative_weight_cannot_be_published(admin_user):
    draft = ChecklistVersion.objects.create()
    ChecklistCriterion.objects.create(
        version=draft, code="C1", direction="keep", weight=-1, text_ja="x", text_en="x"
    )
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="The weight of C1 cannot be negative"),
    ):  # in words (issue 18), not as the code negative_weight:C1
        draft.publish(admin_user)
    draft.refresh_from_db()
    assert draft.number is None and not draft.is_published


def test_publishing_numbers_the_next_version_and_pinned_assessments_keep_theirs(
    admin_user, company_a
):
    old = Assessment.objects.start(organisation=company_a, name="Started on v1")
    draft = ChecklistVersion.objects.create(non_core_at=70)
    for criterion in ChecklistVersion.objects.get(number=1).criteria.all():
        criterion.pk, criterion.version = None, draft
        criterion.save()
    draft.publish(admin_user)
    assert draft.number == 3 and draft.published_by == admin_user
    old.refresh_from_db()
    assert old.checklist_version.number == 2
    assert Assessment.objects.start(organisation=company_a, name="New").checklist_version == draft


def test_an_import_stores_each_tasks_result_with_the_pinned_versions(manager_client, company_a):
    assessment = Assessment.objects.start(organisation=company_a, name="Check")
    import_sheet(manager_client, assessment, "check.csv", CHECKED_SHEET)
    results = {r.task.task: r for r in TaskResult.objects.select_related("task")}
    invoices, prices = results["Issue invoices"], results["Negotiate prices"]
    assert invoices.checklist_version.number == 2 and invoices.rule_version.number == 2
    assert (invoices.verdict, invoices.model) == ("non_core", "bpo")
    assert invoices.detail["rule"] == "operation_bpo" and invoices.detail["runner_up"] == ""
    assert (prices.verdict, prices.model) == ("core", "in_house")
    assert invoices.task.answer_sources["C1"] == "file"


def test_tasks_added_or_edited_in_the_browser_get_a_result(manager_client, company_a):
    assessment = Assessment.objects.start(organisation=company_a, name="Browser")
    data = {
        "department": "IT",
        "process": "Helpdesk",
        "task": "Reset passwords",
        "category": "it",
        "people": "1",
        "occurrences": "1",
    }
    manager_client.post(reverse("task_add", args=[assessment.pk]), data)
    task = assessment.tasks.get()
    assert task.result.verdict == "incomplete"  # five questions are still unanswered
    manager_client.post(reverse("task_duplicate", args=[assessment.pk, task.pk]))
    assert TaskResult.objects.filter(task__assessment=assessment).count() == 2
    before = task.result.computed_at
    manager_client.post(
        reverse("task_row_edit", args=[assessment.pk, task.pk]),
        {**data, "minutes": "30", "frequency": "daily"},
    )
    task.result.refresh_from_db()
    assert task.result.computed_at > before


def test_inventory_shows_verdict_and_model_and_filters_by_them(manager_client, company_a):
    assessment = Assessment.objects.start(organisation=company_a, name="Filters")
    import_sheet(manager_client, assessment, "check.csv", CHECKED_SHEET)
    url = reverse("inventory", args=[assessment.pk])
    page = manager_client.get(url).content.decode()
    assert "Non-core" in page and "BPO" in page and "In-house" in page
    filtered = manager_client.get(url, {"model": "bpo"}).content.decode()
    assert "Issue invoices" in filtered and "Negotiate prices" not in filtered
    ignored = manager_client.get(url, {"model": "nonsense"}).content.decode()
    assert "Issue invoices" in ignored and "Negotiate prices" in ignored
    overview = manager_client.get(reverse("assessment_detail", args=[assessment.pk]))
    assert "Hours and cost by recommended model" in overview.content.decode()


def test_filtered_totals_stay_filtered_when_they_refresh(manager_client, company_a):
    assessment = Assessment.objects.start(organisation=company_a, name="Totals")
    import_sheet(manager_client, assessment, "check.csv", CHECKED_SHEET)
    page = manager_client.get(reverse("inventory", args=[assessment.pk]), {"model": "bpo"})
    assert "totals/?model=bpo" in page.content.decode()
    strip = manager_client.get(
        reverse("inventory_totals", args=[assessment.pk]), {"model": "bpo"}
    ).content.decode()
    assert 'data-figure="tasks">1<' in strip  # only the invoices task, not the sales one


def test_changing_working_days_recomputes_the_recommendation(manager_client, company_a):
    # 10 minutes a day: 40 hours at 240 days (not under 40: subcontract), 33.3 at 200 days.
    sheet = (
        b"department,process,task,category,frequency,minutes,continuity,deliverable_clear,"
        b"expertise,confidentiality,C1,C2,C3,C4,C5,C6,C7,C8,C9,C10\n"
        b"Sales,Survey,Enter survey answers,data_entry,daily,10,one_off,yes,1,public,"
        b"no,no,yes,no,no,no,no,yes,yes,yes\n"
    )
    assessment = Assessment.objects.start(organisation=company_a, name="Days")
    import_sheet(manager_client, assessment, "days.csv", sheet)
    result = TaskResult.objects.get(task__assessment=assessment)
    assert result.model == "subcontract"
    manager_client.post(
        reverse("organisation_settings", args=[company_a.pk]),
        {
            "name": company_a.name,
            "hourly_cost": "3000",
            "working_days": "200",
            "yearly_hours": "1920",
            "estimate_spread": "20",
            "tax_unrecoverable": "0",
        },
    )
    result.refresh_from_db()
    assert result.model == "crowdsourcing"
