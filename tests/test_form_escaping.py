"""Stored HTML injection through labels and help texts (issue 13: a KPI's unit
`'><b id=xss-unit>` came out unescaped on the operation page, because crispy-forms prints a help
text with `|safe` and the actuals form built one from the KPI). Every name people type (and the
administrators' checklist and readiness wording) is the payload here; every page of the site is
walked as the consultant and the manager: the payload never comes out as markup, and every form
of the project is met on some page with no label or help text carrying it unescaped."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import conditional_escape

from assessments.background.jobs import Job, JobKind, JobStatus
from assessments.models import Assessment, InventoryImport, MappingProfile, Override, collaboration
from assessments.models.steps import Goals, Kpi, ReadinessEntry, RfpDraft
from outsourcing_advisor.accounts.models import Role
from outsourcing_advisor.members import services as members
from tests.factories import OUTSOURCEABLE, make_task
from vendors.models import (
    Bid,
    Certification,
    Evaluation,
    SecurityCheck,
    Submission,
    SubmissionStatus,
    Vendor,
)
from vendors.services import links

pytestmark = pytest.mark.django_db

PAYLOAD = "\"'><b id=xss>"
MARKUP = "<b id=xss"  # the payload as a tag: what must never reach a page
ESCAPED = "&lt;b id=xss&gt;"

APPS = ("assessments", "vendors", "outsourcing_advisor")
# Forms the walk cannot meet on a page of ours, and why they need not be walked.
NOT_ON_OUR_PAGES = {
    # The administrators' area is staff only: tests/administration/test_escaping.py walks it
    # as an administrator, with the payload in the drafts' wording.
    "assessments.web.administration_forms.ChecklistDraftForm",
    "assessments.web.administration_forms.CriterionForm",
    "assessments.web.administration_forms.EvaluationDraftForm",
    "assessments.web.administration_forms.PublishForm",
    "assessments.web.administration_forms.ReadinessDraftForm",
    "assessments.web.administration_forms.ReadinessItemForm",
    "assessments.web.administration_forms.WeightsForm",
    # The rule editor's form: tests/administration/test_rule_editor.py walks it with the payload.
    "assessments.web.rule_editor_forms.RuleForm",
    # Read from a post only: the packages page writes their inputs by hand (walked as a page).
    "assessments.web.forms.PackageMergeForm",
    "assessments.web.forms.PackageNameForm",
    "assessments.web.forms.PackageTasksForm",
    # Read from a post only: _horizon_form.html writes its input by hand, beside the overhead's.
    "assessments.web.forms.HorizonForm",
    # Read from a post only: the members page writes each member's role select by hand.
    "assessments.web.member_forms.RoleForm",
}


def project_forms() -> set[str]:
    """Every concrete form class of our apps (bases that others extend left out)."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)

    def below(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    ours = [c for c in below(forms.BaseForm) if c.__module__.split(".")[0] in APPS]
    bases = {base for c in ours for base in c.__mro__[1:]}
    return {f"{c.__module__}.{c.__qualname__}" for c in ours if c not in bases}


@pytest.fixture
def hostile(company_a, manager, consultant, viewer) -> dict[str, int]:
    """Company A with the payload in every text its people type; the ids every URL takes."""
    company_a.name = company_a.industry = PAYLOAD
    company_a.save()
    manager.first_name = manager.last_name = PAYLOAD
    manager.save()
    assessment = Assessment.objects.start(organisation=company_a, name=PAYLOAD, created_by=manager)
    assessment.description = PAYLOAD
    assessment.save()
    # The administrators' wording of the pinned checklist and readiness list, too.
    wording = {f"{name}_{lang}": PAYLOAD for name in ("text", "help") for lang in ("ja", "en")}
    assessment.checklist_version.criteria.update(**wording)
    assessment.readiness_version.items.update(**wording)
    text = {field: PAYLOAD for field in ("department", "process", "task", "description")}
    task = make_task(
        assessment,
        position=0,
        category="accounting",
        confidentiality="personal",
        minutes=Decimal(60),
        interviewee=PAYLOAD,
        notes=PAYLOAD,
        **text,
        **OUTSOURCEABLE,
    )
    make_task(assessment, position=1, category="hr", **{**text, "task": PAYLOAD + "2"})
    assessment.recompute_results()
    Override.objects.create(task=task, model="kpo", justification=PAYLOAD, author=consultant)
    assessment.create_packages()
    package = assessment.packages.get()
    package.name = PAYLOAD
    package.save()
    vendor = Vendor.objects.create(
        name=PAYLOAD,
        services=["bpo", "kpo"],
        **dict.fromkeys(("industries", "locations", "track_record", "contacts", "notes"), PAYLOAD),
    )
    Certification.objects.create(vendor=vendor, kind="pmark", number=PAYLOAD)
    SecurityCheck.objects.create(vendor=vendor, item="audit_logs", status="yes", note=PAYLOAD)
    bid = Bid.objects.create(
        package=package,
        vendor=vendor,
        pricing_model="subscription",
        monthly_fee=1,
        quote_note=PAYLOAD,
    )
    Evaluation.objects.create(
        bid=bid,
        evaluator=manager,
        scores={"security": 4},
        comments={"security": PAYLOAD, "general": PAYLOAD},
        submitted_at=timezone.now(),
    )
    Goals.objects.create(assessment=assessment, cost_rank=1, cost_note=PAYLOAD)
    version = assessment.readiness_version
    ReadinessEntry.objects.create(
        assessment=assessment, item=version.items.first(), owner=PAYLOAD, note=PAYLOAD
    )
    Kpi.objects.create(
        assessment=assessment, position=0, name=PAYLOAD, unit=PAYLOAD[:30], target=Decimal(95)
    )
    RfpDraft.objects.create(
        package=package, language="en", sections={"purpose": PAYLOAD}, generated_at=timezone.now()
    )
    job = Job.objects.create(
        assessment=assessment,
        kind=JobKind.IMPORT,
        created_by=manager,
        status=JobStatus.FAILED,
        filename=PAYLOAD,
        problems=[PAYLOAD],
    )
    imported = InventoryImport.objects.create(
        assessment=assessment, filename=PAYLOAD, sha256="", rows=0, before={"tasks": []}
    )
    profile = MappingProfile.objects.create(organisation=company_a, name=PAYLOAD, headers=PAYLOAD)
    # What the vendor typed behind an earlier link, accepted (the consultant's review shows it);
    # then the link the vendor's pages use.
    earlier, _token = links.issue(bid, consultant)
    submission = Submission.objects.create(
        bid=bid,
        link=earlier,
        status=SubmissionStatus.ACCEPTED,
        quote={"pricing_model": "subscription", "monthly_fee": "1", "quote_note": PAYLOAD},
        security={"audit_logs": {"status": "met", "note": PAYLOAD}},
        certifications=[{"kind": "pmark", "number": PAYLOAD, "expires_on": None}],
        contact={"name": PAYLOAD, "email": PAYLOAD, "phone": PAYLOAD},
        submitted_at=timezone.now(),
        reviewed_by=consultant,
        reviewed_at=timezone.now(),
        review_comment=PAYLOAD,
    )
    link, token = links.issue(bid, consultant)
    # An invitation for someone whose address is the payload (the members page lists it; its
    # join page names the organisation and whoever invited).
    invitation, invitation_token = members.invite(
        company_a, Role.CONSULTANT, manager, email=PAYLOAD
    )
    # Comments mentioning the manager, whose names are the payload, who has the task's check
    # (issue 18): the check and vendor pages, the inventory and my work show them.
    assessment.assign_check(task, manager, consultant)
    comment = collaboration.add_comment(assessment, consultant, f"{PAYLOAD} @hanako", task=task)
    collaboration.add_comment(assessment, manager, f"@hanako {PAYLOAD}", package=package)
    return {
        "pk": assessment.pk,
        "org_pk": company_a.pk,
        "task_pk": task.pk,
        "package_pk": package.pk,
        "vendor_pk": vendor.pk,
        "bid_pk": bid.pk,
        # The vendor's pages behind its link show the package's request and the vendor's form.
        "token": token,
        "link_pk": link.pk,
        "submission_pk": submission.pk,
        "job_pk": job.pk,
        "import_pk": imported.pk,
        "profile_pk": profile.pk,
        "membership_pk": manager.memberships.get().pk,
        "invitation_pk": invitation.pk,
        "invitation_token": invitation_token,
        "comment_pk": comment.pk,
        "kind": "checklist",  # the administrators' area: 404 to these members
        "version_pk": 1,  # the decision table's editor (issue 18): 404 to them too
        "rule_pk": 1,
    }


def upload(client, assessment_pk: int, *rows: list[Any]) -> int:
    content = io.StringIO()
    csv.writer(content).writerows(rows)
    file = SimpleUploadedFile("upload.csv", content.getvalue().encode("utf-8"))
    response = client.post(reverse("import_upload", args=[assessment_pk]), {"file": file})
    assert response.status_code == 302
    return int(response["Location"].rstrip("/").split("/")[-2])


def uploads(client, assessment_pk: int) -> list[int]:
    """Two sheets: one whose unknown column is the payload (the mapping step asks about it by
    its name, a label); one whose departments differ only by a suffix (the preview offers to
    merge them, labelled with their names)."""
    header = ["部署", "業務", "作業", "頻度", "回数", "所要時間(分)", "人数"]
    asking = upload(
        client, assessment_pk, [*header, PAYLOAD], [PAYLOAD, "x", PAYLOAD, "毎月", 1, 10, 1, 1]
    )
    similar = [[f"{PAYLOAD}人事{suffix}", "x", PAYLOAD, "毎月", 1, 10, 1] for suffix in ("", "部")]
    return [asking, upload(client, assessment_pk, header, *similar)]


def pages(ids: dict[str, int], taking: str = "") -> list[str]:
    """Every page of the site outside the admin (those whose URL takes `taking`, if given),
    each id filled with the hostile fixture's."""
    urls = []

    def walk(patterns: list[Any], outer: tuple[str, ...] = ()) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name != "admin":
                    walk(entry.url_patterns, (*outer, *entry.pattern.converters))
            elif isinstance(entry, URLPattern) and entry.name:
                arguments = [*outer, *entry.pattern.converters]
                if taking and taking not in arguments:
                    continue
                missing = set(arguments) - set(ids)
                assert not missing, f"give the hostile fixture a {missing} for {entry.name}"
                kwargs = {name: ids[name] for name in arguments}
                if entry.name == "organisation_settings":
                    kwargs = {"pk": ids["org_pk"]}
                if entry.name == "join":  # an invitation's token, not a vendor link's
                    kwargs = {"token": ids["invitation_token"]}
                urls.append(reverse(entry.name, kwargs=kwargs))

    walk(get_resolver().url_patterns)
    return urls


def forms_in(response: Any) -> list[forms.BaseForm]:
    """The forms a page was rendered with (in formsets and lists too)."""
    found: list[forms.BaseForm] = []

    def take(value: Any) -> None:
        if isinstance(value, forms.BaseForm):
            found.append(value)
        elif isinstance(value, BaseFormSet):
            found.extend([*value.forms, value.empty_form])
        elif isinstance(value, (list, tuple)):
            for item in value[:50]:
                take(item)

    contexts = response.context
    for context in contexts if isinstance(contexts, ContextList) else [contexts]:
        for layer in context or []:  # a Context iterates over its dicts
            for value in layer.values():
                take(value)
    return found


def test_no_label_or_help_text_carries_user_markup(hostile, consultant_client, manager_client):
    asking, similar = uploads(manager_client, hostile["pk"])
    hostile["upload_pk"] = asking
    walk = [
        *(
            (client, url)
            for client in (consultant_client, manager_client)
            for url in pages(hostile)
        ),
        *((manager_client, url) for url in pages({**hostile, "upload_pk": similar}, "upload_pk")),
        # The doors behind a token, as whoever holds it without an account sees them.
        *((Client(), url) for url in pages(hostile, "token")),
    ]
    seen: set[str] = set()
    for client, url in walk:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        assert MARKUP not in response.content.decode(), url
        for form in forms_in(response):
            # A formset's forms are classes made from ours: count ours.
            seen.update(f"{c.__module__}.{c.__qualname__}" for c in type(form).__mro__)
            for field in form:
                # As crispy-forms and Django's own form templates print them: help texts with
                # |safe, labels escaped unless marked safe.
                assert MARKUP not in str(field.help_text), (url, field.name)
                assert MARKUP not in str(conditional_escape(field.label)), (url, field.name)
    assert project_forms() - NOT_ON_OUR_PAGES <= seen


def test_the_kpi_unit_in_the_actuals_help_text_is_text(hostile, manager_client):
    """The issue's attack, as it was found."""
    page = manager_client.get(reverse("workflow_operation", args=[hostile["pk"]]))
    html = page.content.decode()
    assert MARKUP not in html
    assert f"≥ 95 {conditional_escape(PAYLOAD[:30])}" in html  # the help text, escaped once
    assert ESCAPED in html
