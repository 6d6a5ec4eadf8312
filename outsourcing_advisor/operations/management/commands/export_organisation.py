"""`manage.py export_organisation ORGANISATION OUT.json`: one organisation's data as one JSON file
(the format is described in `outsourcing_advisor/operations/transfer.py`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from outsourcing_advisor.accounts.models import Organisation
from outsourcing_advisor.operations import transfer


class Command(BaseCommand):
    help = (
        "Export an organisation (its members, assessments, workflow records, packages, bids "
        "and evaluations, and the versions and vendors they use) to one JSON file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="the organisation's name or id")
        parser.add_argument("output", help="the JSON file to write; - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = find_organisation(options["organisation"])
        try:
            text = transfer.dumps(transfer.export(organisation))
        except transfer.TransferError as error:
            raise CommandError(str(error)) from error
        if options["output"] == "-":
            sys.stdout.write(text)
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s")
                % {"path": options["output"], "error": error.strerror}
            ) from error
        if options["verbosity"] > 0:
            self.stderr.write(
                _("Exported “%(name)s” to %(path)s.")
                % {"name": organisation.name, "path": options["output"]}
            )


def find_organisation(key: str) -> Organisation:
    """By name first, then by id."""
    found = Organisation.objects.filter(name=key).first()
    if found is None and key.isdigit():
        found = Organisation.objects.filter(pk=int(key)).first()
    if found is None:
        raise CommandError(_("No organisation is named or numbered “%(key)s”.") % {"key": key})
    return found
