"""The record of one piece of background work (an import or a report): what it was asked to do,
how far it has got and how it ended. Starting, running and watching jobs is
`assessments.background.jobs`; the queue itself is Django's task framework."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.accounts.models import person_name

if TYPE_CHECKING:
    from assessments.models.assessment import Assessment

User = settings.AUTH_USER_MODEL

# A running job stamps its heartbeat this often; one without a heartbeat for STALLED_AFTER has
# lost its worker (six beats missed: a busy machine or a database lock does not make it look dead).
HEARTBEAT_SECONDS = 10.0
STALLED_AFTER = datetime.timedelta(minutes=1)


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
    def of(self, assessment: Assessment) -> JobQuerySet:
        return self.filter(assessment=assessment)

    def recent(self, days: int = 7) -> JobQuerySet:
        since = timezone.now() - datetime.timedelta(days=days)
        return self.filter(created_at__gte=since).defer("input", "output")

    def active(self) -> JobQuerySet:
        return self.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))

    def stalled(self) -> JobQuerySet:
        """Running without a heartbeat for STALLED_AFTER (a job claimed before heartbeats
        existed: without a move), or for longer than JOB_SECONDS."""
        now = timezone.now()
        lost = Q(heartbeat_at__lt=now - STALLED_AFTER) | Q(
            heartbeat_at__isnull=True, updated_at__lt=now - STALLED_AFTER
        )
        return self.filter(lost | Q(started_at__lt=now - time_limit()), status=JobStatus.RUNNING)


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
    updated_at = models.DateTimeField(auto_now=True)
    # Claimed by a worker (the time limit counts from here), and its latest sign of life.
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
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
    # A report: `report_stamp` of what it shows, taken before it was made; equal later, the
    # report is handed out again instead of made anew.
    stamp = models.CharField(max_length=64, blank=True)
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
        """As `JobQuerySet.stalled`: its worker died, or it is over its time."""
        if self.status != JobStatus.RUNNING:
            return False
        now = timezone.now()
        late = self.started_at is not None and now - self.started_at > time_limit()
        return late or now - (self.heartbeat_at or self.updated_at) > STALLED_AFTER

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
        now = timezone.now()
        claimed = Job.objects.filter(pk=self.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, updated_at=now
        )
        self.refresh_from_db(fields=["status", "started_at", "heartbeat_at", "attempts"])
        return bool(claimed)

    def advance(self, stage: Stage) -> None:
        self.stage, self.percent, self.heartbeat_at = stage, PERCENT[stage], timezone.now()
        self.save(update_fields=["stage", "percent", "heartbeat_at", "updated_at"])

    def succeed(self, **result: Any) -> None:
        self.status, self.stage, self.percent = JobStatus.DONE, Stage.FINISHED, 100
        self.result, self.problems, self.finished_at = result, [], timezone.now()
        if self.kind == JobKind.IMPORT:
            self.input = None  # the import record keeps the file's name and hash
        fields = ["status", "stage", "percent", "result", "problems", "finished_at", "input"]
        self._settle(*fields, "output", "stamp")

    def fail(self, problems: list[str], *, rejected: bool = False) -> None:
        self.status, self.problems, self.finished_at = JobStatus.FAILED, problems, timezone.now()
        self.result = {"rejected": True} if rejected else {}
        self._settle("status", "problems", "result", "finished_at")

    def _settle(self, *fields: str) -> None:
        """Write how this attempt ended, even over its being given up as stalled (what happened
        wins), but not once a retry has taken the job over: that attempt's outcome counts."""
        values = {name: getattr(self, name) for name in fields}
        Job.objects.filter(pk=self.pk, attempts=self.attempts).update(
            **values, updated_at=timezone.now()
        )

    def requeue(self) -> None:
        """Back in the queue for another attempt, with the same input."""
        self.status, self.stage, self.percent = JobStatus.QUEUED, Stage.WAITING, 0
        self.problems, self.result, self.finished_at = [], {}, None
        self.started_at = self.heartbeat_at = None
        self.save()


def time_limit() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_SECONDS)
