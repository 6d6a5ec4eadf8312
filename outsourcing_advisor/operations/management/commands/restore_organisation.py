"""`manage.py restore_organisation IN.json [--keep-existing-users] [--create-missing-versions]`:
an organisation exported by `export_organisation` (signed with the same key), checked through
and written into this database all or nothing (see `outsourcing_advisor/operations/transfer.py`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from outsourcing_advisor.operations import transfer


class Command(BaseCommand):
    help = (
        "Restore an organisation from a file written by export_organisation on a server with the "
        "same signing key (EXPORT_SIGNING_KEY, else SECRET_KEY). All or nothing; refuses an "
        "edited file, an invalid record and an organisation name that already exists. Restored "
        "people have no password until one is set (manage.py changepassword USERNAME)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="the JSON file; - for standard input")
        parser.add_argument(
            "--keep-existing-users",
            action="store_true",
            help=(
                "give people whose usernames already exist here the memberships the file gives "
                "them in the restored organisation (only when they are the same people; never "
                "staff or superusers). Without it such a file is refused."
            ),
        )
        parser.add_argument(
            "--create-missing-versions",
            action="store_true",
            help=(
                "create the published checklist, rule-table, vendor-criteria and readiness "
                "versions the file uses that this database lacks. They are the whole site's: "
                "the newest is what every organisation's new assessments start with. Without it "
                "such a file is refused."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["input"]
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error
        try:
            restored = transfer.restore(
                transfer.loads(raw),
                keep_existing_users=options["keep_existing_users"],
                create_missing_versions=options["create_missing_versions"],
            )
        except transfer.TransferError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 0:
            self.stdout.write(summary(restored))


def summary(restored: transfer.Restored) -> str:
    lines = [_("Restored “%(name)s”.") % {"name": restored.organisation.name}]
    lines += [f"  {model}: {count}" for model, count in restored.counts.items() if count]
    for title, names in (
        (_("People created (no password yet: manage.py changepassword USERNAME)"),
         restored.users_created),
        (_("People already here, reused as they are"), restored.users_reused),
        (_("People already here made members of the organisation"), restored.members_kept),
        (_("Versions created for the whole site"), restored.versions_created),
        (_("Versions already here with the same content, reused"), restored.versions_reused),
        (_("Vendors created"), restored.vendors_created),
        (_("Vendors already in the registry, reused as they are"), restored.vendors_reused),
    ):  # fmt: skip
        if names:
            lines.append(f"{title}: {', '.join(names)}")
    return "\n".join(lines)
