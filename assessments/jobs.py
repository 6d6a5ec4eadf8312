"""Background jobs: a large import or report runs in a worker (`manage.py db_worker`) while the
page shows its progress.

A `Job` is our record of one piece of background work: what it was asked to do (the uploaded
file, the column mapping, the report's language), how far it has got, and how it ended. The
queue itself is Django's task framework (`assessments/tasks.py`, django-tasks with its database
backend); the job keeps what the page needs and what a retry needs, which the queue does not.

Every job belongs to an assessment, and runs with the rights its creator has *when it runs*:
someone removed from the organisation meanwhile gets a failed job, not an import."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _

from assessments import pdf
from assessments.files.decisions import Decisions
from assessments.files.problems import ImportRejected
from assessments.files.reading import read
from outsourcing_advisor.accounts.models import person_name

logger = logging.getLogger(__name__)
User = settings.AUTH_USER_MODEL

# A job that has not moved for this long is taken for lost (its worker stopped) and may be
# retried. The largest import allowed takes seconds, so this is generous.
STALLED_AFTER = datetime.timedelta(minutes=15)


class JobKind(models.TextChoices):
    IMPORT = "import", _("Inventory import")
    REPORT = "report", _("PDF report")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Stage(models.TextChoices):
    """What the job is doing now; each stage starts at a fixed share of the progress bar."""

    WAITING = "waiting", _("Waiting for a worker")
    READING = "reading", _("Reading and checking the file")
    SAVING = "saving", _("Saving the tasks and running the check")
    COLLECTING = "collecting", _("Collecting the figures and drawing the charts")
    RENDERING = "rendering", _("Laying out the PDF")
    FINISHED = "finished", _("Finished")


PERCENT = {
    Stage.WAITING: 0,
    Stage.READING: 10,
    Stage.SAVING: 45,
    Stage.COLLECTING: 10,
    Stage.RENDERING: 40,
    Stage.FINISHED: 100,
}


class JobQuerySet(models.QuerySet["Job"]):
    def of(self, assessment: models.Model) -> JobQuerySet:
        return self.filter(assessment=assessment)

    def recent(self, days: int = 7) -> JobQuerySet:
        since = timezone.now() - datetime.timedelta(days=days)
        return self.filter(created_at__gte=since).defer("input", "output")


class Job(models.Model):
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=10, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.WAITING)
    percent = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves with every stage: a running job whose stamp is old has lost its worker.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The task framework's id of the latest attempt (for the worker's logs and the admin).
    task_id = models.CharField(max_length=64, blank=True)
    # An import's file name, or the report's file name once made.
    filename = models.CharField(max_length=255, blank=True)
    # The uploaded file, kept until the import succeeds so that a failed one can be retried.
    input = models.BinaryField(null=True, blank=True)
    # Import: {"decisions": Decisions as JSON, "replace": bool, "lang"}; report: {"lang",
    # "prepared_by"}.
    params = models.JSONField(default=dict, blank=True)
    output = models.BinaryField(null=True, blank=True)
    # Import: {"rows": n}; the messages shown when the job failed are in `problems`.
    result = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def stalled(self) -> bool:
        return self.active and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def started_by(self) -> str:
        user = self.created_by
        if user is None:
            return "—"  # the account was deleted since
        return person_name(user)

    @property
    def waiting_long(self) -> bool:
        """Queued for over a minute: perhaps no worker is running."""
        waited = timezone.now() - self.created_at
        return self.status == JobStatus.QUEUED and waited > datetime.timedelta(minutes=1)

    @property
    def rejected(self) -> bool:
        """Failed on the file's content: the same file would fail again."""
        return self.status == JobStatus.FAILED and bool(self.result.get("rejected"))

    @property
    def can_retry(self) -> bool:
        return (self.status == JobStatus.FAILED and not self.rejected) or self.stalled

    def claim(self) -> bool:
        """Mark a queued job running; False if another worker got there first."""
        claimed = Job.objects.filter(pk=self.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, updated_at=timezone.now()
        )
        self.refresh_from_db(fields=["status", "updated_at"])
        return bool(claimed)

    def advance(self, stage: Stage) -> None:
        self.stage, self.percent = stage, PERCENT[stage]
        self.save(update_fields=["stage", "percent", "updated_at"])

    def succeed(self, **result: Any) -> None:
        self.status, self.stage, self.percent = JobStatus.DONE, Stage.FINISHED, 100
        self.result, self.problems, self.finished_at = result, [], timezone.now()
        if self.kind == JobKind.IMPORT:
            self.input = None  # the import record keeps the file's name and hash
        self.save()

    def fail(self, problems: list[str], *, rejected: bool = False) -> None:
        self.status, self.problems, self.finished_at = JobStatus.FAILED, problems, timezone.now()
        self.result = {"rejected": True} if rejected else {}
        self.save(update_fields=["status", "problems", "result", "finished_at", "updated_at"])

    def requeue(self) -> None:
        """Back in the queue for another attempt, with the same input."""
        self.status, self.stage, self.percent = JobStatus.QUEUED, Stage.WAITING, 0
        self.problems, self.result, self.finished_at = [], {}, None
        self.save()


def start_import(
    assessment: Any,
    user: Any,
    *,
    data: bytes,
    filename: str,
    decisions: dict[str, Any],
    replace: bool,
    lang: str,
) -> Job:
    """A previewed file imported in the background with the decisions taken for it. `lang`:
    the language of the messages about the file's rows (the user's, at upload)."""
    job = Job.objects.create(
        assessment=assessment,
        kind=JobKind.IMPORT,
        created_by=user,
        filename=filename[:255],
        input=data,
        params={"decisions": decisions, "replace": replace, "lang": lang},
    )
    enqueue(job)
    return job


def start_report(assessment: Any, user: Any, *, lang: str, prepared_by: str) -> Job:
    job = Job.objects.create(
        assessment=assessment,
        kind=JobKind.REPORT,
        created_by=user,
        params={"lang": lang, "prepared_by": prepared_by},
    )
    enqueue(job)
    return job


def retry(job: Job) -> None:
    job.requeue()
    enqueue(job)


def enqueue(job: Job) -> None:
    from assessments.tasks import run_job  # the task module imports this one

    result = run_job.enqueue(job.assessment.organisation_id, job.pk)
    job.attempts += 1
    job.task_id = str(result.id)[:64]
    job.save(update_fields=["attempts", "task_id", "updated_at"])


def run(organisation_id: int, job_id: int) -> None:
    """Run one job (called by the worker). The job is looked up within its organisation, and the
    assessment through what the job's creator may see now."""
    job = Job.objects.filter(assessment__organisation_id=organisation_id, pk=job_id).first()
    if job is None or not job.claim():
        return  # deleted with its assessment meanwhile, or already taken by another worker
    with override(job.params.get("lang") or settings.LANGUAGE_CODE):
        _run(job, organisation_id)


def _run(job: Job, organisation_id: int) -> None:
    from assessments.models import Assessment

    assessment = (
        Assessment.objects.for_user(job.created_by)
        .filter(organisation_id=organisation_id, pk=job.assessment_id)
        .select_related("organisation")
        .first()
        if job.created_by
        else None
    )
    if assessment is None or (job.kind == JobKind.IMPORT and not assessment.can_edit):
        job.fail([gettext("The person who started this job may no longer change this assessment.")])
        return
    try:
        if job.kind == JobKind.IMPORT:
            _run_import(job, assessment)
        else:
            _run_report(job, assessment)
    except ImportRejected as rejected:
        job.fail([str(problem) for problem in rejected.problems], rejected=True)
    except Exception:
        logger.exception("Background job %s failed", job.pk)
        job.fail([gettext("The job stopped because of an error on our side. Try again.")])
        raise  # the task framework records the failure and its traceback too


def _run_import(job: Job, assessment: Any) -> None:
    job.advance(Stage.READING)
    reading = read(
        bytes(job.input or b""),
        job.filename,
        Decisions.from_json(job.params.get("decisions")),
        assessment.organisation.volume_settings,
    )
    if not reading.ready:
        # The file or the organisation's settings changed since the preview: say what now.
        raise ImportRejected(reading.refusal())
    job.advance(Stage.SAVING)
    record = assessment.import_tasks(
        reading.rows,
        filename=job.filename,
        sha256=reading.sha256,
        user=job.created_by,
        replace=job.params["replace"],
        provided=reading.provided,
    )
    job.succeed(
        rows=record.rows, added=record.added, changed=record.changed, removed=record.removed
    )


def _run_report(job: Job, assessment: Any) -> None:
    lang = job.params["lang"]
    job.advance(Stage.COLLECTING)
    html = pdf.report_html(assessment, lang=lang, prepared_by=job.params["prepared_by"])
    job.advance(Stage.RENDERING)
    job.output = pdf.render_pdf(html)
    job.succeed()


def outcome(job: Job) -> str:
    """One sentence on how a finished job ended, for the page."""
    if job.kind == JobKind.IMPORT and job.status == JobStatus.DONE:
        rows = job.result.get("rows", 0)
        message = ngettext(
            "Imported %(rows)s task from %(file)s.", "Imported %(rows)s tasks from %(file)s.", rows
        )
        return message % {"rows": rows, "file": job.filename}
    if job.status == JobStatus.DONE:
        return gettext("The report is ready.")
    return ""
