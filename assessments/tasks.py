"""The background tasks (Django's task framework, django-tasks backport; run by
`manage.py db_worker`). They stay thin: the work and its bookkeeping are in `jobs.py`."""

from __future__ import annotations

from django_tasks import task

from assessments import jobs


@task()
def run_job(organisation_id: int, job_id: int) -> None:
    """The organisation travels with the id so that the job is looked up within its tenant."""
    jobs.run(organisation_id, job_id)
