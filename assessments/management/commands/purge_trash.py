"""`manage.py purge_trash`: delete for good the tasks and packages that have been in the trash
for 30 days or more (issue 18), each recorded in its assessment's history. Run it daily, e.g.
from cron next to `prune_jobs`; until it runs, they are neither listed nor restorable."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments.models.assessment import TRASH_DAYS, purge_trash


class Command(BaseCommand):
    help = f"Delete for good what has been in the trash for {TRASH_DAYS} days or more."

    def handle(self, *args: Any, **options: Any) -> None:
        tasks, packages = purge_trash()
        self.stdout.write(
            f"Deleted {tasks} tasks and {packages} packages in the trash for {TRASH_DAYS} days "
            "or more."
        )
