"""Background jobs: a large import or report runs in a worker (`manage.py db_worker`) while the
page shows its progress.

A `Job` is our record of one piece of background work: what it was asked to do (the uploaded
file, the column mapping, the report's language), how far it has got, and how it ended. The
queue itself is Django's task framework (`run_job` below, django-tasks with its database
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

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override
from django_tasks import task

from assessments.files.decisions import Decisions
from assessments.files.problems import ImportRejected
from assessments.files.reading import read
from assessments.models.jobs import (
    HEARTBEAT_SECONDS,
    Job,
    JobKind,
    JobQuerySet,
    JobStatus,
    Stage,
    time_limit,
)
from assessments.reporting import pdf

logger = logging.getLogger(__name__)


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


@task()
def run_job(organisation_id: int, job_id: int) -> None:
    """The background task (run by `manage.py db_worker`). The organisation travels with the id
    so that the job is looked up within its tenant."""
    run(organisation_id, job_id)


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
        assessment.volume_settings,
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
    packages, bids with their vendors' registry entries, evaluations, readiness, the goals of
    step 1 and which packages have an RFP drafted; the vendor criteria), the person's
    membership (what is sealed for them), the day and the cover's name. A new kind of row the
    report reads belongs here too.

    The rows themselves, not their updated_at: moving a task or filling a package changes no
    timestamp, packages and certifications have none, and a long transaction can commit an
    older one after a newer. Read raw (no model instances, no JSON decoded): about half a second
    for 20,000 tasks, against a minute and a half to make their report."""
    from assessments.models import Assessment, Override, Package, Task, TaskResult
    from assessments.models.steps import Goals, ReadinessEntry, RfpDraft
    from outsourcing_advisor.accounts.models import Membership, Organisation
    from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor
    from vendors.services.selection import weights_for

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
    _digest_rows(digest, Goals.objects.filter(assessment=assessment))
    _digest_rows(digest, RfpDraft.objects.filter(package__assessment=assessment))
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
