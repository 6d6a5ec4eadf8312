"""`manage.py restore_organisation IN.json`: an organisation exported by `export_organisation`,
written into this database all or nothing (see `outsourcing_advisor/accounts/transfer.py`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from outsourcing_advisor.accounts import transfer


class Command(BaseCommand):
    help = (
        "Restore an organisation from a file written by export_organisation. All or nothing; "
        "refuses an organisation name that already exists. Restored people have no password "
        "until one is set (manage.py changepassword USERNAME)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="the JSON file; - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["input"]
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error
        try:
            restored = transfer.restore(transfer.loads(raw))
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
        (_("Versions created"), restored.versions_created),
        (_("Versions already here with the same content, reused"), restored.versions_reused),
        (_("Vendors created"), restored.vendors_created),
        (_("Vendors already in the registry, reused as they are"), restored.vendors_reused),
    ):  # fmt: skip
        if names:
            lines.append(f"{title}: {', '.join(names)}")
    return "\n".join(lines)
