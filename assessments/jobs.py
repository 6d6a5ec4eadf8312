"""Background jobs: a large import or report runs in a worker (`manage.py db_worker`) while the
page shows its progress.

A `Job` is our record of one piece of background work: what it was asked to do (the uploaded
file, the column mapping, the report's language), how far it has got, and how it ended. The
queue itself is Django's task framework (`assessments/tasks.py`, django-tasks with its database
backend); the job keeps what the page needs and what a retry needs, which the queue does not.

Every job belongs to an assessment, and runs with the rights its creator has *when it runs*:
someone removed from the organisation meanwhile gets a failed job, not an import.

A running job shows it is alive: a thread stamps `heartbeat_at` every few seconds while it
works. One whose heartbeat stopped (its worker was killed) or that ran past JOB_SECONDS is marked
failed, and so retryable, when anyone looks at it or a worker claims work (`fail_stalled`): the
worker itself cannot be interrupted safely from inside, so a job over its time is given up, not
killed. One person has at most JOBS_PER_PERSON jobs waiting or running in an organisation, and a
finished report is handed out again while nothing it shows has changed (`report_stamp`)."""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.db.models import Q
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
    def of(self, assessment: models.Model) -> JobQuerySet:
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
    """A previewed file imported in the background with the decisions taken for it (TooManyJobs
    past the person's limit). `lang`: the language of the messages about the file's rows (the
    user's, at upload)."""
    with transaction.atomic():
        _within_limit(user, assessment.organisation_id)
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


class TooManyJobs(Exception):
    """The person has JOBS_PER_PERSON jobs waiting or running in the organisation already."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count

    def __str__(self) -> str:
        message = ngettext(
            "You already have %(count)s background job waiting or running in this "
            "organisation, as many as one person may have at once. Ask again once it has "
            "finished: the overview of its assessment shows how far it is.",
            "You already have %(count)s background jobs waiting or running in this "
            "organisation, as many as one person may have at once. Ask again once one has "
            "finished: the overview of each assessment shows how far its jobs are.",
            self.count,
        )
        return message % {"count": self.count}


def time_limit() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_SECONDS)


def report(assessment: Any, user: Any, *, lang: str, prepared_by: str) -> Job:
    """The person's report of the assessment in `lang`: the one on its way already, else the
    one they were given when nothing it shows has changed since, else a new job (TooManyJobs
    past the person's limit). `assessment` comes from `get_assessment_for_user`."""
    mine = Job.objects.of(assessment).filter(kind=JobKind.REPORT, created_by=user)
    fail_stalled(mine)
    pending = mine.active().filter(params__lang=lang).defer("input", "output").first()
    if pending is not None:
        return pending
    made = mine.filter(status=JobStatus.DONE).exclude(stamp="").defer("input", "output")
    if made.exists():  # the stamp reads every task: only when there is something to reuse
        stamp = report_stamp(assessment, user, lang=lang, prepared_by=prepared_by)
        if (same := made.filter(stamp=stamp).first()) is not None:
            return same
    with transaction.atomic():
        _within_limit(user, assessment.organisation_id)
        job = Job.objects.create(
            assessment=assessment,
            kind=JobKind.REPORT,
            created_by=user,
            params={"lang": lang, "prepared_by": prepared_by},
        )
        enqueue(job)
    return job


def _within_limit(user: Any, organisation_id: int) -> None:
    """Raise TooManyJobs when the person has their share of the queue in the organisation. Locks
    their membership until the caller's transaction ends, so that two requests at once cannot
    both take the last place (SQLite's IMMEDIATE transactions are serialised anyway)."""
    from outsourcing_advisor.accounts.models import Membership

    if user is None:
        return  # a job whose creator was deleted: retried for no one's share
    membership = Membership.objects.filter(user=user, organisation_id=organisation_id)
    list(membership.select_for_update().values_list("pk", flat=True))
    theirs = Job.objects.filter(created_by=user, assessment__organisation_id=organisation_id)
    fail_stalled(theirs)
    if (count := theirs.active().count()) >= settings.JOBS_PER_PERSON:
        raise TooManyJobs(count)


def retry(job: Job) -> None:
    """Another attempt, within its creator's share of the queue (TooManyJobs)."""
    with transaction.atomic():
        _within_limit(job.created_by, job.assessment.organisation_id)
        job.requeue()
        enqueue(job)


def enqueue(job: Job) -> None:
    from assessments.tasks import run_job  # the task module imports this one

    # One transaction: a worker never claims the attempt before its number is saved (how the
    # attempt's outcome is told from a later one's, `Job._settle`).
    with transaction.atomic():
        result = run_job.enqueue(job.assessment.organisation_id, job.pk)
        job.attempts += 1
        job.task_id = str(result.id)[:64]
        job.save(update_fields=["attempts", "task_id", "updated_at"])


def fail_stalled(jobs: JobQuerySet) -> None:
    """Mark failed, and so retryable, the jobs among `jobs` whose worker died or that ran past
    JOB_SECONDS. Called when a job is looked at and when a worker claims work: nothing else
    would ever end them. The message is in the job's language, as its other problems are."""
    for job in jobs.stalled().only("pk", "params", "started_at"):
        late = job.started_at is not None and timezone.now() - job.started_at > time_limit()
        with override(job.params.get("lang") or settings.LANGUAGE_CODE):
            if late:
                minutes = settings.JOB_SECONDS // 60
                message = ngettext(
                    "This job took longer than the %(minutes)s minute background work may "
                    "take, and was given up. Try again; if it happens again, ask your "
                    "administrator (JOB_SECONDS).",
                    "This job took longer than the %(minutes)s minutes background work may "
                    "take, and was given up. Try again; if it happens again, ask your "
                    "administrator (JOB_SECONDS).",
                    minutes,
                ) % {"minutes": minutes}
            else:
                message = gettext(
                    "This job stopped moving: its worker may have stopped. Nothing was "
                    "half-saved; try again."
                )
        # Conditional: a heartbeat, or a retry's claim, since the read keeps the job alive.
        Job.objects.stalled().filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            problems=[message],
            result={},
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


def run(organisation_id: int, job_id: int) -> None:
    """Run one job (called by the worker). The job is looked up within its organisation, and the
    assessment through what the job's creator may see now."""
    fail_stalled(Job.objects.all())  # jobs whose worker died, wherever they are
    job = Job.objects.filter(assessment__organisation_id=organisation_id, pk=job_id).first()
    if job is None or not job.claim():
        return  # deleted with its assessment meanwhile, or already taken by another worker
    with override(job.params.get("lang") or settings.LANGUAGE_CODE), heartbeat(job):
        _run(job, organisation_id)


@contextmanager
def heartbeat(job: Job) -> Iterator[None]:
    """While the body runs, a thread stamps the job's `heartbeat_at` every HEARTBEAT_SECONDS:
    WeasyPrint lays a large report out for minutes without reaching another stage."""
    stop = threading.Event()
    beating = threading.Thread(
        target=_beat, args=(job.pk, stop), name=f"job-{job.pk}-heartbeat", daemon=True
    )
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()


def _beat(job_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
            except DatabaseError:  # e.g. SQLite busy with the import's write: the next beat
                logger.warning("No heartbeat written for job %s", job_id, exc_info=True)
    finally:
        connections.close_all()  # this thread's own connections


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
    # Taken before the report reads anything: a change while it is made leaves the stamp
    # behind, so the report is made anew next time rather than handed out stale.
    job.stamp = report_stamp(
        assessment, job.created_by, lang=lang, prepared_by=job.params["prepared_by"]
    )
    # Sealed as for the person who asked; the key says who else may download it (job_views).
    html, seal = pdf.report_document(
        assessment, lang=lang, viewer=job.created_by, prepared_by=job.params["prepared_by"]
    )
    job.advance(Stage.RENDERING)
    job.output = pdf.render_pdf(html)
    job.succeed(seal=seal)


def report_stamp(assessment: Any, user: Any, *, lang: str, prepared_by: str) -> str:
    """A digest of everything the report of `assessment` shows `user` in `lang` today: the rows
    `report.build_report` reads (the assessment, its organisation, tasks, results, overrides,
    packages, bids with their vendors' registry entries, evaluations, readiness; the vendor
    criteria), the person's membership (what is sealed for them), the day and the cover's
    name. A new kind of row the report reads belongs here too.

    The rows themselves, not their updated_at: moving a task or filling a package changes no
    timestamp, packages and certifications have none, and a long transaction can commit an
    older one after a newer. Read raw (no model instances, no JSON decoded): about half a second
    for 20,000 tasks, against a minute and a half to make their report."""
    from assessments.models import Assessment, Override, Package, Task, TaskResult
    from assessments.steps import ReadinessEntry
    from outsourcing_advisor.accounts.models import Membership, Organisation
    from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor
    from vendors.selection import weights_for

    digest = hashlib.blake2b(digest_size=32)
    day = timezone.localdate().isoformat()
    digest.update(repr((lang, day, prepared_by, weights_for(assessment))).encode())
    tasks = Task.objects.filter(assessment=assessment)
    bids = Bid.objects.filter(package__assessment=assessment)
    vendor_ids = bids.values("vendor_id")
    _digest_rows(digest, Assessment.objects.filter(pk=assessment.pk))
    _digest_rows(digest, Organisation.objects.filter(pk=assessment.organisation_id))
    _digest_rows(digest, Membership.objects.filter(user=user, organisation=assessment.organisation))
    _digest_rows(digest, tasks)
    _digest_rows(digest, TaskResult.objects.filter(task__in=tasks))
    _digest_rows(
        digest,
        Override.objects.filter(task__in=tasks),
        "author__username",
        "author__first_name",
        "author__last_name",
    )
    _digest_rows(digest, Package.objects.filter(assessment=assessment))
    _digest_rows(digest, bids)
    _digest_rows(digest, Evaluation.objects.filter(bid__in=bids), "evaluator__username")
    _digest_rows(digest, Vendor.objects.filter(pk__in=vendor_ids))
    _digest_rows(digest, Certification.objects.filter(vendor__in=vendor_ids))
    _digest_rows(digest, SecurityCheck.objects.filter(vendor__in=vendor_ids))
    _digest_rows(digest, ReadinessEntry.objects.filter(assessment=assessment))
    return digest.hexdigest()


def _digest_rows(digest: Any, rows: models.QuerySet[Any], *related: str) -> None:
    """Every column of `rows` (and the `related` lookups), in id order, into `digest`."""
    names = [field.attname for field in rows.model._meta.concrete_fields]
    sql, params = rows.order_by("pk").values_list(*names, *related).query.sql_with_params()
    digest.update(rows.model._meta.label.encode())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            digest.update(repr(batch).encode())


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
