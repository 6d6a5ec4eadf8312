"""`manage.py prune_jobs [--days N]`: forget finished background jobs (their report PDFs and the
queue's records of them) after N days. Run it daily, e.g. from cron."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.background.jobs import Job, JobStatus


class Command(BaseCommand):
    help = "Delete finished background jobs and their queue records older than --days days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Keep this many days (default 7).")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < 0:
            self.stderr.write("--days cannot be negative")
            raise SystemExit(2)
        cutoff = timezone.now() - datetime.timedelta(days=days)
        with transaction.atomic():
            finished = [JobStatus.DONE, JobStatus.FAILED]
            jobs, _ = Job.objects.filter(status__in=finished, finished_at__lt=cutoff).delete()
            tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {jobs} finished jobs and {tasks} queue records.")
