"""Large imports and reports run in the background: Hanako (manager of company A) uploads a big
file and watches its progress; Kenji (consultant) makes a big report; an outsider from company B
never sees either."""

from __future__ import annotations

import datetime
import threading
import time
from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.background import jobs
from assessments.background.jobs import Job, JobStatus, Stage
from assessments.files.decisions import Decisions
from assessments.models import Assessment, InventoryImport, PendingUpload
from outsourcing_advisor.accounts.models import Membership
from tests.helpers import client_for
from tests.jobs import work_off

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "部署,業務,作業,業務区分,頻度,回数,所要時間(分),人数\n"
    "人事部,給与計算,勤怠データ集計,人事・労務,毎月,1,120,2\n"
    "総務部,受付,来客対応,総務・受付,毎日,4,15,1\n"
    "経理部,経費精算,領収書の確認,経理・財務,毎週,5,10,1\n"
).encode("cp932")


@pytest.fixture(autouse=True)
def small_thresholds(settings):
    """Files of more than two rows and reports of more than one task go to the background."""
    settings.BACKGROUND_IMPORT_ROWS = 2
    settings.BACKGROUND_REPORT_TASKS = 1


def upload_and_import(client, assessment, content=GOOD_CSV, name="inventory.csv", replace="1"):
    """The browser's flow: upload the file, look at its preview, import it (confirming the
    removals when replacing). Above BACKGROUND_IMPORT_ROWS this starts a background job."""
    file = SimpleUploadedFile(name, content)
    response = client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    preview = response["Location"]
    assert preview == reverse(
        "import_preview", args=[assessment.pk, PendingUpload.objects.get().pk]
    )
    assert client.get(preview).status_code == 200, "nothing to decide"
    return client.post(preview, {"replace": replace, "confirm": "on"})


def job_url(job, name="job_detail"):
    return reverse(name, args=[job.assessment_id, job.pk])


def task_names(assessment):
    return sorted(assessment.tasks.values_list("task", flat=True))


def test_a_large_file_is_imported_in_the_background_with_progress(manager_client, assessment):
    response = upload_and_import(manager_client, assessment)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.status == JobStatus.QUEUED and job.attempts == 1 and job.filename == "inventory.csv"
    # The job takes the file, the decisions of the preview and the choice to replace; the
    # file on its way in is not kept twice.
    assert bytes(job.input) == GOOD_CSV
    assert job.params["replace"] is True and job.params["lang"] == "en"
    assert Decisions.from_json(job.params["decisions"]) == Decisions(), "nothing to decide"
    assert not PendingUpload.objects.exists()
    # Nothing is imported before the worker runs; the page shows the bar and polls itself.
    assert task_names(assessment) == ["Collect timesheets", "Greet visitors"]
    page = manager_client.get(job_url(job)).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="0"' in page
    assert "Waiting for a worker" in page and 'hx-trigger="every 1s"' in page

    assert work_off() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.percent == 100
    assert job.result == {"rows": 3, "added": 3, "changed": 0, "removed": 2}
    assert job.input is None  # the file is not kept once imported
    assert task_names(assessment) == ["勤怠データ集計", "来客対応", "領収書の確認"]
    record = InventoryImport.objects.get(assessment=assessment)
    assert record.rows == 3 and record.filename == "inventory.csv" and len(record.sha256) == 64
    assert (record.added, record.removed, record.replaced, record.can_undo) == (3, 2, True, True)
    # The poll now returns the finished card alone, which stops polling.
    card = manager_client.get(job_url(job), headers={"HX-Request": "true"}).content.decode()
    assert card.lstrip().startswith('<section id="job"') and "every 1s" not in card
    assert "Imported 3 tasks from inventory.csv." in card
    assert reverse("inventory", args=[assessment.pk]) in card


def test_a_large_import_past_the_persons_job_limit_waits_on_its_preview(
    manager_client, assessment, settings
):
    """Imports count towards a person's share of the queue (issue 13), as reports do: past it
    the preview stays, with the reason, and nothing is queued or imported."""
    settings.JOBS_PER_PERSON = 1
    upload_and_import(manager_client, assessment)
    assert Job.objects.count() == 1
    file = SimpleUploadedFile("again.csv", GOOD_CSV)
    preview = manager_client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    response = manager_client.post(preview["Location"], {"replace": "1", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == preview["Location"]
    page = manager_client.get(response["Location"]).content.decode()
    assert "You already have 1 background job waiting or running" in page
    assert Job.objects.count() == 1 and PendingUpload.objects.exists()
    assert task_names(assessment) == ["Collect timesheets", "Greet visitors"]


def test_progress_moves_through_the_stages(manager_client, assessment):
    upload_and_import(manager_client, assessment)
    seen = []
    advance = Job.advance

    def spy(self, stage):
        advance(self, stage)
        seen.append((self.stage, self.percent, Job.objects.get(pk=self.pk).percent))

    with mock.patch.object(Job, "advance", spy):
        work_off()
    assert seen == [(Stage.READING, 10, 10), (Stage.SAVING, 45, 45)]


def test_a_small_file_is_still_imported_at_once(manager_client, assessment, settings):
    settings.BACKGROUND_IMPORT_ROWS = 1000
    response = upload_and_import(manager_client, assessment)
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    assert not Job.objects.exists() and assessment.tasks.count() == 3


def test_a_bad_file_given_to_a_job_fails_with_the_rows_named_and_changes_nothing(
    manager, manager_client, assessment
):
    """The job reads the file again: one that does not read as previewed (here handed to
    start_import without a preview) fails on its content, by row and column, and is not retried."""
    bad = GOOD_CSV.decode("cp932").replace("120", "abc").replace("毎週", "時々")
    job = jobs.start_import(
        assessment,
        manager,
        data=bad.encode("utf-8"),
        filename="inventory.csv",
        decisions={},
        replace=True,
        lang="en",
    )
    assert job.status == JobStatus.QUEUED and job.attempts == 1
    work_off()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.rejected and not job.can_retry
    page = manager_client.get(job_url(job)).content.decode()
    assert "The file was not imported: 2 problems. Nothing was changed." in page
    assert "Row 2, column G (所要時間(分))" in page and "“abc” is not a duration" in page
    assert "Row 4, column E (頻度)" in page and "“時々”" in page
    assert reverse("import_upload", args=[assessment.pk]) in page and "Try again" not in page
    assert task_names(assessment) == ["Collect timesheets", "Greet visitors"]
    assert not InventoryImport.objects.exists()
    # The messages are in the language of the person who uploaded (Hanako reads English).
    assert job.problems[0].startswith("Row 2")


def test_a_file_over_limits_lowered_since_the_preview_fails_and_changes_nothing(
    manager_client, assessment, settings
):
    upload_and_import(manager_client, assessment)
    settings.MAX_IMPORT_ROWS = 2  # lowered while the job waited for a worker
    work_off()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.rejected and not job.can_retry
    assert job.problems == ["The file has 3 tasks; at most 2 can be imported at once."]
    assert task_names(assessment) == ["Collect timesheets", "Greet visitors"]
    assert not InventoryImport.objects.exists()


def test_an_error_on_our_side_can_be_retried(manager_client, assessment):
    upload_and_import(manager_client, assessment)
    with mock.patch.object(Assessment, "import_tasks", side_effect=RuntimeError("disk full")):
        work_off()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.can_retry
    page = manager_client.get(job_url(job)).content.decode()
    assert "The job stopped because of an error on our side. Try again." in page
    assert "disk full" not in page and "Try again</button>" in page
    assert task_names(assessment) == ["Collect timesheets", "Greet visitors"]
    assert DBTaskResult.objects.get().status == "FAILED"  # the queue keeps the traceback

    response = manager_client.post(job_url(job, "job_retry"))
    assert response["Location"] == job_url(job)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 2 and job.problems == []
    work_off()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and assessment.tasks.count() == 3


def test_a_finished_job_is_not_run_again(manager_client, assessment):
    upload_and_import(manager_client, assessment, replace="0")
    work_off()
    job = Job.objects.get()
    response = manager_client.post(job_url(job, "job_retry"), follow=True)
    assert "This job is not waiting for a retry." in response.content.decode()
    jobs.run(assessment.organisation_id, job.pk)  # a duplicate delivery of the task
    assert assessment.tasks.count() == 5


def test_a_job_whose_worker_stopped_can_be_retried(manager_client, assessment):
    upload_and_import(manager_client, assessment)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, updated_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    page = manager_client.get(job_url(job)).content.decode()
    assert "its worker may have stopped" in page and "every 1s" not in page
    manager_client.post(job_url(job, "job_retry"))
    work_off()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_mapped_file_is_imported_in_the_background_with_its_decisions(manager_client, assessment):
    """The decisions of the mapping step travel with the job: here, that 所要時間 is in hours."""
    sheet = (
        "部署,業務,作業,業務区分,頻度,所要時間\n"
        "人事部,給与計算,勤怠集計,人事・労務,毎月,1.5\n"
        "人事部,給与計算,明細配布,人事・労務,毎月,2\n"
        "人事部,社会保険,算定基礎届,人事・労務,毎年,8\n"
    ).encode()
    file = SimpleUploadedFile("hours.csv", sheet)
    manager_client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    pending = PendingUpload.objects.get()
    preview = reverse("import_preview", args=[assessment.pk, pending.pk])
    mapping = reverse("import_mapping", args=[assessment.pk, pending.pk])
    assert manager_client.get(preview)["Location"] == mapping, "the unit is asked"
    form = manager_client.get(mapping).context["form"]
    decided = {name: form[name].value() or "" for name in form.fields if name.startswith("column")}
    assert manager_client.post(mapping, decided | {"unit_5": "hour"})["Location"] == preview
    response = manager_client.post(preview, {"replace": "0"})
    job = Job.objects.get()
    assert response["Location"] == job_url(job)
    assert job.params["decisions"]["units"] == {"所要時間": "hour"}
    assert job.params["replace"] is False
    work_off()
    minutes = dict(assessment.tasks.filter(department="人事部").values_list("task", "minutes"))
    assert minutes == {"勤怠集計": 90, "明細配布": 120, "算定基礎届": 480}
    assert assessment.tasks.count() == 5


def test_the_job_runs_with_the_rights_its_creator_has_when_it_runs(
    manager, manager_client, assessment
):
    upload_and_import(manager_client, assessment)
    Membership.objects.filter(user=manager).delete()
    work_off()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.problems == ["The person who started this job may no longer change this assessment."]
    assert assessment.tasks.count() == 2


def test_a_task_names_its_organisation_and_finds_nothing_elsewhere(
    manager_client, assessment, company_b
):
    upload_and_import(manager_client, assessment)
    job = Job.objects.get()
    jobs.run(company_b.pk, job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and assessment.tasks.count() == 2


def test_the_import_page_and_overview_list_recent_jobs(manager_client, assessment):
    upload_and_import(manager_client, assessment)
    job = Job.objects.get()
    for name in ("import_upload", "assessment_detail"):
        page = manager_client.get(reverse(name, args=[assessment.pk])).content.decode()
        assert job_url(job) in page and "Background work" in page


def test_a_large_report_is_made_in_the_background(consultant_client, assessment):
    overview = consultant_client.get(reverse("assessment_detail", args=[assessment.pk]))
    assert reverse("report_start", args=[assessment.pk]) in overview.content.decode()
    response = consultant_client.post(reverse("report_start", args=[assessment.pk]), {"lang": "ja"})
    job = Job.objects.get()
    assert response["Location"] == job_url(job) and job.params["lang"] == "ja"
    assert consultant_client.get(job_url(job, "job_download")).status_code == 404  # not yet
    work_off()
    page = consultant_client.get(job_url(job)).content.decode()
    assert "The report is ready." in page and job_url(job, "job_download") in page
    response = consultant_client.get(job_url(job, "job_download"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "-ja.pdf" in response["Content-Disposition"]


def test_a_small_assessment_links_the_report_directly(manager_client, assessment, settings):
    settings.BACKGROUND_REPORT_TASKS = 150
    page = manager_client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert reverse("report_pdf", args=[assessment.pk]) + "?lang=ja" in page
    assert reverse("report_start", args=[assessment.pk]) not in page


def test_a_viewer_may_make_a_report_but_not_retry_an_import(
    viewer_client, manager_client, assessment
):
    viewer_client.post(reverse("report_start", args=[assessment.pk]), {"lang": "en"})
    work_off()
    report = Job.objects.get()
    assert viewer_client.get(job_url(report, "job_download")).status_code == 200
    assert viewer_client.post(reverse("import_upload", args=[assessment.pk])).status_code == 403
    upload_and_import(manager_client, assessment)
    Job.objects.filter(kind="import").update(status=JobStatus.FAILED)
    imported = Job.objects.get(kind="import")
    assert viewer_client.get(job_url(imported)).status_code == 200
    assert viewer_client.post(job_url(imported, "job_retry")).status_code == 403


def test_an_outsider_never_sees_a_job(
    outsider_client, manager_client, assessment, company_b, outsider
):
    upload_and_import(manager_client, assessment)
    job = Job.objects.get()
    for name in ("job_detail", "job_download"):
        assert outsider_client.get(job_url(job, name)).status_code == 404
    assert outsider_client.post(job_url(job, "job_retry")).status_code == 404
    assert outsider_client.post(reverse("report_start", args=[assessment.pk])).status_code == 404
    # Nor through an assessment of their own: a job is found only under its assessment.
    own = Assessment.objects.start(organisation=company_b, name="Midori 2026", created_by=outsider)
    assert outsider_client.get(reverse("job_detail", args=[own.pk, job.pk])).status_code == 404
    assert outsider_client.post(reverse("job_retry", args=[own.pk, job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_the_queue(published_defaults, manager, company_a):
    """`manage.py db_worker --batch`, the real worker, on a real (committed) queue."""
    assessment = Assessment.objects.start(organisation=company_a, name="Big", created_by=manager)
    upload_and_import(client_for(manager), assessment)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job = Job.objects.get()
    assert job.status == JobStatus.DONE and assessment.tasks.count() == 3
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_prune_jobs_forgets_finished_jobs_after_a_week(manager_client, assessment):
    upload_and_import(manager_client, assessment)
    work_off()
    upload_and_import(manager_client, assessment)  # still queued: never pruned
    old = timezone.now() - datetime.timedelta(days=8)
    Job.objects.filter(status=JobStatus.DONE).update(finished_at=old)
    DBTaskResult.objects.filter(status="SUCCESSFUL").update(finished_at=old)
    out = StringIO()
    call_command("prune_jobs", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 finished jobs and 1 queue records."
    assert list(Job.objects.values_list("status", flat=True)) == [JobStatus.QUEUED]
    assert DBTaskResult.objects.count() == 1


def test_a_job_whose_starter_was_deleted_fails_and_still_shows(
    manager, viewer_client, manager_client, assessment
):
    upload_and_import(manager_client, assessment)
    manager.delete()
    work_off()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and assessment.tasks.count() == 2
    page = viewer_client.get(job_url(job)).content.decode()
    assert "by —." in page and "may no longer change this assessment" in page


# --- a job whose worker died, or that runs too long (issue 13) --------------------------------


def killed_mid_way(job, *, silent_for):
    """The job as a worker left it when it was killed while saving, `silent_for` ago."""
    last_beat = timezone.now() - silent_for
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        stage=Stage.SAVING,
        percent=45,
        started_at=last_beat - datetime.timedelta(seconds=5),
        heartbeat_at=last_beat,
    )


def test_a_job_killed_mid_way_is_failed_within_a_minute(viewer_client, manager_client, assessment):
    """The issue's job stayed "running 45%" for 15 minutes after its worker was killed."""
    upload_and_import(manager_client, assessment)
    job = Job.objects.get()
    killed_mid_way(job, silent_for=datetime.timedelta(seconds=30))
    page = viewer_client.get(job_url(job)).content.decode()
    assert "45%" in page and "every 1s" in page, "half a minute without a beat: still alive"

    killed_mid_way(job, silent_for=datetime.timedelta(seconds=61))
    overview = viewer_client.get(reverse("assessment_detail", args=[assessment.pk]))
    assert "Stopped: open it to try again" in overview.content.decode()
    page = viewer_client.get(job_url(job)).content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.can_retry and job.finished_at is not None
    assert "This job stopped moving: its worker may have stopped." in page
    assert "every 1s" not in page and "45%" not in page
    manager_client.post(job_url(job, "job_retry"))
    work_off()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and assessment.tasks.count() == 3


def test_a_job_killed_mid_way_is_failed_when_a_worker_claims_work(manager_client, assessment):
    upload_and_import(manager_client, assessment)
    killed = Job.objects.get()
    work_off()  # its queue record is gone with the worker: only the job record says "running"
    killed_mid_way(killed, silent_for=datetime.timedelta(seconds=61))
    upload_and_import(manager_client, assessment)
    work_off()  # another job; nobody has looked at the killed one
    killed.refresh_from_db()
    assert killed.status == JobStatus.FAILED and killed.can_retry
    assert killed.problems == [
        "This job stopped moving: its worker may have stopped. Nothing was half-saved; try again."
    ]


def test_a_job_over_its_time_is_given_up(consultant_client, assessment, settings):
    settings.JOB_SECONDS = 300
    consultant_client.post(reverse("report_start", args=[assessment.pk]), {"lang": "en"})
    job = Job.objects.get()
    started = timezone.now() - datetime.timedelta(minutes=6)
    # Its heartbeat is fresh: the worker lives, but has been on this job for six minutes.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=started, heartbeat_at=timezone.now()
    )
    page = consultant_client.get(job_url(job)).content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.can_retry
    assert "This job took longer than the 5 minutes background work may take" in page
    assert "Try again</button>" in page


def test_an_attempt_given_up_and_retried_leaves_the_job_to_the_retry(
    viewer_client, assessment, settings
):
    """The worker cannot be stopped mid-way: when the given-up attempt ends after all, a retry
    asked for meanwhile owns the job and its outcome; without a retry, what happened is kept."""
    settings.JOB_SECONDS = 300
    viewer_client.post(reverse("report_start", args=[assessment.pk]), {"lang": "en"})
    job = Job.objects.get()
    renders = []

    def render(html):
        if not renders:  # the first attempt, still laying out when it is given up and retried
            long_ago = timezone.now() - datetime.timedelta(minutes=6)
            Job.objects.filter(pk=job.pk).update(started_at=long_ago)
            assert "took longer" in viewer_client.get(job_url(job)).content.decode()
            viewer_client.post(job_url(job, "job_retry"))
        renders.append(html)
        return f"%PDF attempt {len(renders)}".encode()

    with mock.patch("assessments.reporting.pdf.render_pdf", side_effect=render):
        assert work_off() == 2
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert viewer_client.get(job_url(job, "job_download")).content == b"%PDF attempt 2"


def test_a_given_up_attempt_that_ends_after_all_says_how_it_ended(viewer_client, assessment):
    viewer_client.post(reverse("report_start", args=[assessment.pk]), {"lang": "en"})
    job = Job.objects.get()

    def render(html):
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - STALLED)
        assert "its worker may have stopped" in viewer_client.get(job_url(job)).content.decode()
        return b"%PDF late"

    with mock.patch("assessments.reporting.pdf.render_pdf", side_effect=render):
        work_off()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.problems == []
    assert viewer_client.get(job_url(job, "job_download")).content == b"%PDF late"


STALLED = datetime.timedelta(seconds=61)


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_while_the_report_is_laid_out(
    published_defaults, manager, company_a, monkeypatch
):
    """WeasyPrint lays a large report out for minutes in one stage: a thread shows the job is
    alive meanwhile (committed rows: the thread has its own database connection)."""
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.05)
    assessment = Assessment.objects.start(organisation=company_a, name="Big", created_by=manager)
    job = jobs.report(assessment, manager, lang="en", prepared_by="Hanako")
    beats = []

    def render(html):
        claimed = Job.objects.get(pk=job.pk).heartbeat_at
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if (beat := Job.objects.get(pk=job.pk).heartbeat_at) > claimed:
                beats.append(beat)
                break
            time.sleep(0.02)
        return b"%PDF"

    with mock.patch("assessments.reporting.pdf.render_pdf", side_effect=render):
        work_off()
    job.refresh_from_db()
    assert beats and job.status == JobStatus.DONE
    assert threading.active_count() == 1, "the heartbeat thread ends with its job"
