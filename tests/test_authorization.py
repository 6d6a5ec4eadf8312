"""Walk every URL pattern that takes an id: an outsider from company B gets 404 on all of them,
by GET and by POST, and a viewer of company A can read but never write."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.background.jobs import Job, JobKind, JobStatus
from assessments.models import (
    InventoryImport,
    MappingProfile,
    Package,
    PendingUpload,
    collaboration,
)
from assessments.models.versions import RuleTableVersion
from outsourcing_advisor.accounts.models import Role
from outsourcing_advisor.members import services as members
from vendors.models import Bid, Submission, Vendor
from vendors.services import links

pytestmark = pytest.mark.django_db


def id_patterns(patterns=None, outer=()):
    """(name, [argument names]) of every named pattern with path converters, its includes' own
    (assessments/<pk>/…) counted, outside the admin."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from id_patterns(entry.url_patterns, (*outer, *entry.pattern.converters))
        elif isinstance(entry, URLPattern) and entry.name:
            arguments = [*outer, *entry.pattern.converters]
            # A vendor's pages (/v/<token>/) take no id: the token is the access, for anyone
            # who holds it, signed in or not (tests/vendors/test_portal.py).
            if arguments and "token" not in arguments:
                yield entry.name, arguments


@pytest.fixture
def ids(assessment, manager, viewer):
    upload = PendingUpload.objects.create(
        assessment=assessment, uploaded_by=manager, filename="x.csv", content=b"a,b\n1,2\n"
    )
    package = Package.objects.create(assessment=assessment, name="BPO", model="bpo")
    vendor = Vendor.objects.create(name="株式会社テスト", services=["bpo"])
    bid = Bid.objects.create(package=package, vendor=vendor)
    link, _token = links.issue(bid, None)
    return {
        "pk": assessment.pk,
        "org_pk": assessment.organisation.pk,
        "task_pk": assessment.tasks.first().pk,
        "upload_pk": upload.pk,
        "package_pk": package.pk,
        "vendor_pk": vendor.pk,
        "bid_pk": bid.pk,
        # A vendor's link and what it submitted through it (SPEC 4.6).
        "link_pk": link.pk,
        "submission_pk": Submission.objects.create(bid=bid, link=link, status="submitted").pk,
        # A failed import waiting for a retry: retrying it is a write.
        "job_pk": Job.objects.create(
            assessment=assessment, kind=JobKind.IMPORT, created_by=manager, status=JobStatus.FAILED
        ).pk,
        # The latest import, which can be undone: undoing it is a write.
        "import_pk": InventoryImport.objects.create(
            assessment=assessment, filename="x.csv", sha256="", rows=0, before={"tasks": []}
        ).pk,
        "profile_pk": MappingProfile.objects.create(
            organisation=assessment.organisation, name="社内様式", headers="部署"
        ).pk,
        # A member (the viewer) and an invitation, managed by the organisation's managers.
        "membership_pk": viewer.memberships.get().pk,
        "invitation_pk": members.invite(assessment.organisation, Role.VIEWER, manager)[0].pk,
        # The manager's comment on a task (issue 18): only its author deletes it.
        # A kind of version of the administrators' area (issue 18): staff only, 404 to anyone else.
        "kind": "checklist",
        # The decision table's editor (issue 18): a rule table and one of its rules.
        "version_pk": RuleTableVersion.objects.latest_published().pk,
        "rule_pk": RuleTableVersion.objects.latest_published().rules.first().pk,
        "comment_pk": collaboration.add_comment(
            assessment, manager, "確認お願いします", task=assessment.tasks.first()
        ).pk,
    }


def named_urls(ids):
    """(name, url) of every id-taking pattern, filled with company A's ids."""
    for name, arguments in id_patterns():
        kwargs = {argument: ids[argument] for argument in arguments}
        if name == "organisation_settings":
            kwargs = {"pk": ids["org_pk"]}
        yield name, reverse(name, kwargs=kwargs)


def urls_with_ids(ids):
    return [url for _name, url in named_urls(ids)]


def test_every_id_url_is_covered(ids):
    names = {name for name, _ in id_patterns()}
    assert {"assessment_detail", "inventory", "task_edit", "task_delete", "import_mapping"} <= names
    assert len(urls_with_ids(ids)) == len(names)


def test_outsider_gets_404_on_every_url_with_an_id(outsider_client, ids):
    # 405 answers a method the URL never takes, whatever the id: it reveals nothing.
    for url in urls_with_ids(ids):
        statuses = {outsider_client.get(url).status_code, outsider_client.post(url, {}).status_code}
        assert 404 in statuses and statuses <= {404, 405}, (url, statuses)


WRITE_VIEWS = {
    "assessment_create",
    "import_upload",
    "import_mapping",
    "import_preview",
    "import_merge",
    "import_undo",
    "mapping_profile_delete",
    "task_create",
    "task_add",
    "task_row_edit",
    "task_duplicate",
    "task_delete",
    "task_move",
    "organisation_settings",
    "task_edit",
    "check_grid",
    "task_check",
    "task_override",
    "assessment_versions",
    "assessment_versions_back",
    "packages_create",
    "packages_assign",
    "package_rename",
    "package_tasks",
    "package_merge",
    "package_delete",
    "package_fix",
    "packages_fix_all",
    "package_independence",
    "package_terms",
    "package_invite",
    "bid_quote",
    "bid_remove",
    "bid_score",
    "bid_registry",
    "bid_scope",
    "package_panel_members",
    "bid_consensus",
    "assessment_overhead",
    "assessment_horizon",
    "evaluations_import",
    "workflow_goals",
    "workflow_readiness",
    "workflow_operation",
    "workflow_actuals",
    "workflow_operation_delete",
    "package_rfp",
    "job_retry",
    "bid_link_issue",
    "bid_link_revoke",
    "submission_review",
    # Find and change many at once (issue 18): the bulk edit, restoring from the trash.
    "inventory_bulk",
    "task_restore",
    "package_restore",
    # The members page's changes: a manager's only (issue 18).
    "member_role",
    "member_remove",
    "invitation_create",
    "invitation_revoke",
    # Working together (issue 18): giving a task's check to a member is an editor's; deleting a
    # comment its author's (the viewer's own would go).
    "task_assign",
    "comment_delete",
}

# Viewers may download the report, so they may also have it made in the background.
VIEWER_ACTIONS = {"report_start"}
# Every member comments, viewers included: a comment changes nothing of the assessment (issue 18).
VIEWER_ACTIONS |= {"task_comments", "package_comments"}

# The vendor registry is the consultants' only: a viewer cannot even read it (vendors.web.access).
REGISTRY_VIEWS = {"vendor_detail", "vendor_edit"}


def test_viewer_cannot_write_anywhere(viewer_client, ids, assessment):
    tasks_before = list(assessment.tasks.values())
    organisation_before = list(type(assessment.organisation).objects.values())
    form = {
        "name": "changed",
        "direction": "up",
        "department": "X",
        "process": "Y",
        "task": "Z",
        "category": "hr",
        "people": 1,
        "occurrences": 1,
        "working_days": 100,
        "yearly_hours": 100,
        "hourly_cost": 1,
        "estimate_spread": 50,
        "tax_unrecoverable": 100,
        "horizon_years": 5,
    }
    for name, url in named_urls(ids):
        status = viewer_client.post(url, form).status_code
        if name in WRITE_VIEWS:
            assert status == 403, (url, status)
        elif name in REGISTRY_VIEWS or name.startswith("administration_"):
            assert status == 404, (url, status)  # the administrators' area is staff only
        elif name in VIEWER_ACTIONS:
            assert status == 302, (url, status)
        else:
            assert status in (200, 405), (url, status)
    assert list(assessment.tasks.values()) == tasks_before
    assert list(type(assessment.organisation).objects.values()) == organisation_before
    assert assessment.organisation.assessments.count() == 1
    assessment.refresh_from_db()
    assert assessment.horizon_years == 3


def test_signed_out_visitor_is_sent_to_sign_in(client, ids):
    for url in urls_with_ids(ids):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
