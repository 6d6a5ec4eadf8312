"""One person cannot take the site down with the PDF report (issue 13, availability): a large
report is made by the background worker however it is asked for, each person has a few jobs
at most in the queue of an organisation, and a report already made is handed out again until
anything it shows changes."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.background import jobs
from assessments.background.jobs import Job, JobStatus
from assessments.models import Assessment, Override, Package, Task, TaskResult
from assessments.models.steps import Goals, ReadinessEntry, RfpDraft
from assessments.reporting import pdf
from outsourcing_advisor.accounts.models import Membership, Organisation, Role
from tests.factories import make_task
from tests.helpers import blocked_on_a_lock
from tests.jobs import work_off
from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_thresholds(settings):
    """Reports of more than one task go to the background; three jobs a person at most."""
    settings.BACKGROUND_REPORT_TASKS = 1
    settings.JOBS_PER_PERSON = 3


@pytest.fixture
def no_rendering_here():
    """Any report laid out while this is active fails the test: the request must not do it."""
    with mock.patch.object(pdf, "render_pdf", side_effect=AssertionError("rendered inline")):
        yield


def report_url(assessment, lang="en"):
    return reverse("report_pdf", args=[assessment.pk]) + f"?lang={lang}"


def job_url(job, name="job_detail"):
    return reverse(name, args=[job.assessment_id, job.pk])


def more_assessments(assessment, count):
    """Copies of the fixture's assessment (two tasks each) in its organisation."""
    copies = []
    for number in range(count):
        copy = Assessment.objects.start(
            organisation=assessment.organisation,
            name=f"Branch {number}",
            created_by=assessment.created_by,
        )
        for task in assessment.tasks.all():
            task.pk, task.assessment = None, copy
            task.save()
        copies.append(copy)
    return copies


def test_a_large_report_asked_for_by_its_url_is_queued_not_rendered(
    viewer_client, assessment, no_rendering_here
):
    """The attack: a viewer opens /assessments/ID/report.pdf of a large assessment, which held
    a web worker for 86.7 s."""
    response = viewer_client.get(report_url(assessment))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.status == JobStatus.QUEUED and job.params["lang"] == "en"
    page = viewer_client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page


def test_a_small_report_is_still_downloaded_at_once(viewer_client, assessment, settings):
    settings.BACKGROUND_REPORT_TASKS = 150
    response = viewer_client.get(report_url(assessment))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not Job.objects.exists()


def test_asking_again_while_it_is_made_queues_nothing_more(viewer_client, assessment):
    """The viewer of the issue queued 20 report jobs in 0.3 s."""
    for _ in range(10):
        viewer_client.get(report_url(assessment))
        viewer_client.post(reverse("report_start", args=[assessment.pk]), {"lang": "en"})
    assert Job.objects.count() == 1
    viewer_client.get(report_url(assessment, "ja"))  # another language is another report
    assert Job.objects.count() == 2


def test_a_person_has_at_most_their_share_of_the_queue(
    viewer_client, manager_client, viewer, assessment
):
    others = more_assessments(assessment, 3)
    for each in (assessment, *others[:2]):
        assert viewer_client.get(report_url(each)).status_code == 302
    assert Job.objects.filter(created_by=viewer, status=JobStatus.QUEUED).count() == 3

    response = viewer_client.get(report_url(others[2]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment_detail", args=[others[2].pk])
    assert "You already have 3 background jobs waiting or running" in response.content.decode()
    response = viewer_client.post(reverse("report_start", args=[others[2].pk]), follow=True)
    assert "as many as one person may have at once" in response.content.decode()
    assert Job.objects.count() == 3 and not Job.objects.filter(assessment=others[2]).exists()

    # Others keep theirs: a manager's report (or import) is not stuck behind the viewer's.
    manager_client.get(report_url(others[2]))
    assert Job.objects.filter(assessment=others[2]).count() == 1
    # Once the worker has made them, the viewer may ask again.
    work_off()
    viewer_client.get(report_url(others[2]))
    assert Job.objects.filter(assessment=others[2], created_by=viewer).count() == 1


def test_the_share_is_counted_in_each_organisation(
    consultant_client, consultant, assessment, company_b
):
    for each in (assessment, *more_assessments(assessment, 2)):
        consultant_client.get(report_url(each))
    own = Assessment.objects.start(organisation=company_b, name="Midori", created_by=consultant)
    make_task(own, department="総務", process="受付", task="来客対応")
    make_task(own, department="総務", process="郵便", task="仕分け")
    consultant_client.get(report_url(own))
    assert Job.objects.filter(assessment=own, created_by=consultant).count() == 1


def test_a_retry_stays_within_the_share(viewer_client, viewer, assessment):
    failed = Job.objects.create(
        assessment=assessment, kind="report", created_by=viewer, status=JobStatus.FAILED
    )
    for each in more_assessments(assessment, 3):
        viewer_client.get(report_url(each))
    response = viewer_client.post(job_url(failed, "job_retry"), follow=True)
    assert "You already have 3 background jobs" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED and failed.attempts == 0


def test_a_job_killed_mid_way_frees_its_place_in_the_share(viewer_client, viewer, assessment):
    for each in (assessment, *more_assessments(assessment, 2)):
        viewer_client.get(report_url(each))
    lost = Job.objects.filter(created_by=viewer).first()
    minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    Job.objects.filter(pk=lost.pk).update(
        status=JobStatus.RUNNING, started_at=minutes_ago, heartbeat_at=minutes_ago
    )
    fourth = more_assessments(assessment, 1)[0]
    assert viewer_client.get(report_url(fourth))["Location"] != reverse(
        "assessment_detail", args=[fourth.pk]
    )
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED and lost.can_retry


# --- a report made is handed out again until something it shows changes ----------------------


@pytest.fixture
def selection(assessment, consultant, manager):
    """A package of both tasks with a certified vendor, quoted and scored by Kenji and Hanako,
    and one readiness item under way: everything the report shows of the selection."""
    package = Package.objects.create(assessment=assessment, name="BPO: HR", model="bpo")
    assessment.tasks.update(package=package)
    vendor = Vendor.objects.create(name="東西リサーチ", services=["bpo"])
    Certification.objects.create(
        vendor=vendor, kind="isms", expires_on=datetime.date.today() + datetime.timedelta(days=90)
    )
    SecurityCheck.objects.create(vendor=vendor, item="access_control", status="met")
    bid = Bid.objects.create(
        package=package, vendor=vendor, pricing_model="subscription", monthly_fee=Decimal(90_000)
    )
    scores = dict.fromkeys(("track_record", "security", "sla_quality"), 4)
    for evaluator in (consultant, manager):
        Evaluation.objects.create(
            bid=bid, evaluator=evaluator, scores=scores, submitted_at=timezone.now()
        )
    item = assessment.readiness_version.items.order_by("order").first()
    ReadinessEntry.objects.create(assessment=assessment, item=item, status="in_progress")
    return bid


def made(client, assessment, lang="en"):
    """The person's report, asked for and made by the worker."""
    response = client.post(reverse("report_start", args=[assessment.pk]), {"lang": lang})
    work_off()
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert job.status == JobStatus.DONE and len(job.stamp) == 64
    return job


def asked_again(client, assessment, lang="en"):
    return client.get(report_url(assessment, lang))["Location"]


def test_a_report_is_handed_out_again_while_nothing_changed(
    consultant_client, assessment, selection, no_rendering_here
):
    with mock.patch.object(pdf, "render_pdf", return_value=b"%PDF-1.7 made once"):
        first = made(consultant_client, assessment)
    # Asked for again, by its URL or the overview's button: the same report, nothing queued,
    # nothing laid out (no_rendering_here).
    assert asked_again(consultant_client, assessment) == job_url(first)
    response = consultant_client.post(
        reverse("report_start", args=[assessment.pk]), {"lang": "en"}, follow=True
    )
    page = response.content.decode()
    assert "Nothing the report shows has changed since it was made" in page
    assert job_url(first, "job_download") in page
    assert consultant_client.get(job_url(first, "job_download")).content == b"%PDF-1.7 made once"
    assert Job.objects.count() == 1


def test_another_person_or_language_gets_a_report_of_their_own(
    consultant_client, viewer_client, assessment, selection
):
    """The cover names who asked, and what is sealed depends on the person."""
    with mock.patch.object(pdf, "render_pdf", return_value=b"%PDF-1.7"):
        first = made(consultant_client, assessment)
    assert asked_again(viewer_client, assessment) != job_url(first)
    assert asked_again(consultant_client, assessment, "ja") != job_url(first)
    assert Job.objects.filter(status=JobStatus.QUEUED).count() == 2


def first_task(assessment):
    return assessment.tasks.order_by("position").first()


# Each change the report would show, made the way that leaves the least trace: a queryset update
# that bypasses updated_at where one could, rows of tables without a timestamp.
CHANGES = {
    "a task's minutes": lambda a: Task.objects.filter(pk=first_task(a).pk).update(minutes=45),
    "tasks moved": lambda a: [
        Task.objects.filter(pk=task.pk).update(position=1 - task.position) for task in a.tasks.all()
    ],
    "a task taken out of its package": lambda a: a.tasks.filter(pk=first_task(a).pk).update(
        package=None
    ),
    "a result": lambda a: TaskResult.objects.filter(task=first_task(a)).update(verdict="core"),
    "an override": lambda a: Override.objects.create(
        task=first_task(a), model="in_house", justification="kept"
    ),
    "a package renamed": lambda a: a.packages.update(name="BPO: 人事"),
    "a quote": lambda a: Bid.objects.update(monthly_fee=Decimal(95_000)),
    "a score": lambda a: Evaluation.objects.filter(evaluator__username="hanako").update(
        scores={"security": 1}
    ),
    "a score withdrawn": lambda a: Evaluation.objects.filter(evaluator__username="hanako").update(
        submitted_at=None
    ),
    "a certification's expiry": lambda a: Certification.objects.update(
        expires_on=datetime.date.today() - datetime.timedelta(days=1)
    ),
    "a security answer": lambda a: SecurityCheck.objects.update(status="not_met"),
    "a vendor's services": lambda a: Vendor.objects.update(services=["ito"]),
    "a readiness item": lambda a: ReadinessEntry.objects.update(status="done"),
    "the organisation's hourly cost": lambda a: Organisation.objects.filter(
        pk=a.organisation_id
    ).update(hourly_cost=Decimal(4_000)),
    "the overhead": lambda a: Assessment.objects.filter(pk=a.pk).update(
        overhead_rate=Decimal("0.2")
    ),
    "the person's role": lambda a: Membership.objects.filter(user__username="kenji").update(
        role=Role.MANAGER
    ),
    "a new task": lambda a: make_task(a, department="HR", task="New"),
    "the goals of step 1": lambda a: Goals.objects.create(assessment=a, cost_rank=1),
    "an RFP drafted": lambda a: RfpDraft.objects.create(
        package=a.packages.first(), language="en", generated_at=timezone.now()
    ),
    "a task deleted": lambda a: first_task(a).delete(),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_report_is_made_anew_after_any_change_it_would_show(
    consultant_client, assessment, selection, change, settings
):
    settings.BACKGROUND_REPORT_TASKS = 0  # still in the background with a task deleted
    with mock.patch.object(pdf, "render_pdf", return_value=b"%PDF-1.7"):
        first = made(consultant_client, assessment)
    assert asked_again(consultant_client, assessment) == job_url(first)
    change(assessment)
    again = asked_again(consultant_client, assessment)
    assert again != job_url(first)
    assert Job.objects.get(status=JobStatus.QUEUED).pk != first.pk


def test_a_report_is_made_anew_the_next_day(consultant_client, assessment, selection):
    """It is dated, and certifications expire: yesterday's report is not today's."""
    with mock.patch.object(pdf, "render_pdf", return_value=b"%PDF-1.7"):
        first = made(consultant_client, assessment)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch.object(jobs.timezone, "localdate", return_value=tomorrow):
        assert asked_again(consultant_client, assessment) != job_url(first)


def test_a_change_while_the_report_is_made_is_not_handed_out_stale(
    consultant_client, assessment, selection
):
    """The stamp is taken before the report reads anything: a change made meanwhile leaves it
    behind, and the next request makes the report anew."""

    def change_meanwhile(html):
        Task.objects.filter(pk=first_task(assessment).pk).update(minutes=50)
        return b"%PDF-1.7"

    with mock.patch.object(pdf, "render_pdf", side_effect=change_meanwhile):
        first = made(consultant_client, assessment)
    assert asked_again(consultant_client, assessment) != job_url(first)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_cannot_both_take_the_last_place(
    published_defaults, viewer_client, viewer, assessment
):
    """The viewer has two jobs of three. One request has counted them and is queueing the third
    when another comes: the second waits for the first, then counts three and is refused."""
    others = more_assessments(assessment, 3)
    for each in (assessment, others[0]):
        viewer_client.get(report_url(each))
    responses = []

    def second_request() -> None:
        try:
            responses.append(viewer_client.get(report_url(others[2])))
        finally:
            connection.close()  # this thread's own connection

    with transaction.atomic():  # the first request, between its count and its job
        jobs._within_limit(viewer, assessment.organisation_id)
        second = threading.Thread(target=second_request)
        second.start()
        assert blocked_on_a_lock(), "the second request should wait for the first"
        Job.objects.create(assessment=others[1], kind="report", created_by=viewer)
    second.join(timeout=20)
    assert not second.is_alive() and len(responses) == 1
    assert responses[0]["Location"] == reverse("assessment_detail", args=[others[2].pk])
    assert Job.objects.filter(created_by=viewer).count() == 3
