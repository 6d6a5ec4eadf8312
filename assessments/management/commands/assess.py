"""`manage.py assess FILE`: import an inventory file into a new assessment and write the results
(SPEC 4.8). A bad file exits non-zero with the importer's row-level messages and changes nothing."""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
from argparse import ArgumentParser
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import importing, inventory
from assessments.models import Assessment
from assessments.spreadsheets import ResultRow, result_rows, write_results_csv
from outsourcing_advisor.accounts.models import Organisation

DEFAULT_ORGANISATION = "CLI"


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property so that the text is translated when the parser is built.
        return _(
            "Import an inventory file (.xlsx or .csv) into a new assessment and print a summary. "
            "With --csv, also write one line per task (UTF-8 without BOM, comma-separated)."
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help=_("The inventory file: .xlsx or .csv."))
        parser.add_argument(
            "--org",
            default=DEFAULT_ORGANISATION,
            help=_("Organisation name; created when it does not exist (default: %(default)s)."),
        )
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=_("Language of the messages (default: %(default)s)."),
        )
        parser.add_argument(
            "--csv",
            metavar="OUT.csv",
            help=_(
                "Write the results CSV here: UTF-8 without BOM, English column names, "
                "one line per task. Replaced only once everything succeeded."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            source = Path(options["file"])
            output = _output_path(options["csv"]) if options["csv"] else None
            organisation_name = _organisation_name(options["org"])
            with without_cycle_collection():
                parsed = self._parse(read_input(source), source.name)
                assessment, rows = save(parsed, organisation_name, output)
            self.stdout.write(summary(assessment, rows))

    def _parse(self, data: bytes, filename: str) -> importing.ParsedInventory:
        """Parse, or print every problem to stderr and stop before touching the database."""
        try:
            parsed = importing.parse_file(data, filename)
        except importing.ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            count = len(rejected.problems)
            raise CommandError(
                ngettext(
                    "%(file)s: %(count)s problem; nothing was imported.",
                    "%(file)s: %(count)s problems; nothing was imported.",
                    count,
                )
                % {"file": filename, "count": count}
            ) from None
        if parsed.ignored_headers:
            self.stderr.write(
                self.style.WARNING(
                    _("Warning: these columns were not recognised and were ignored: %(headers)s")
                    % {"headers": ", ".join(parsed.ignored_headers)}
                )
            )
        return parsed


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """A 10,000-task file keeps hundreds of thousands of objects alive at once (rows, tasks,
    results), and CPython's cycle collector rescans them all again and again: about a sixth of
    the command's time. Reference counting still frees most garbage; the few cycles (a task and
    its cached result) wait for the collector, some 50 MB at the peak, well within budget."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_input(path: Path) -> bytes:
    """The file's bytes; a clear CommandError when it is missing, unreadable or too large."""
    if path.is_dir():
        raise CommandError(_("%(path)s is a directory, not a file.") % {"path": path})
    try:
        size = path.stat().st_size
        limit = settings.MAX_UPLOAD_BYTES
        if size > limit:
            # Refuse before reading: the file could be far larger than memory.
            raise CommandError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": importing.megabytes(size),
                    "limit": importing.megabytes(limit, round_up=False),
                }
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(_("No such file: %(path)s") % {"path": path}) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": reason}
        ) from None


def _output_path(value: str) -> Path:
    """Check the output's folder before importing, so a typo fails before any work is done."""
    path = Path(value)
    if path.is_dir():
        raise CommandError(_("%(path)s is a directory, not a file name.") % {"path": path})
    if not path.parent.resolve().is_dir():
        raise CommandError(_("No such folder: %(path)s") % {"path": path.parent})
    return path


def _organisation_name(value: str) -> str:
    name = value.strip()
    if not name:
        raise CommandError(_("The organisation name must not be empty."))
    max_length = Organisation._meta.get_field("name").max_length or 200
    if len(name) > max_length:
        raise CommandError(
            _("The organisation name is longer than %(limit)s characters.") % {"limit": max_length}
        )
    return name


@transaction.atomic
def save(
    parsed: importing.ParsedInventory, organisation: str, output: Path | None
) -> tuple[Assessment, list[ResultRow]]:
    """Create the assessment and write the CSV in one transaction: a failure leaves nothing."""
    org, _created = Organisation.objects.get_or_create(name=organisation)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    assessment = Assessment.objects.start(
        organisation=org, name=f"{parsed.filename[:180]} {stamp}", created_by=None
    )
    assessment.import_tasks(
        parsed.rows, filename=parsed.filename, sha256=parsed.sha256, user=None, replace=True
    )
    rows = result_rows(assessment)
    if output is not None:
        write_csv_file(assessment, rows, output)
    return assessment, rows


def write_csv_file(assessment: Assessment, rows: list[ResultRow], path: Path) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _write_error(path, error) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            write_results_csv(assessment, stream, rows)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp creates 0600; honour the umask
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _write_error(path, error) from None
        raise


def _write_error(path: Path, error: OSError) -> CommandError:
    reason = error.strerror or str(error)
    return CommandError(_("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": reason})


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def summary(assessment: Assessment, results: list[ResultRow]) -> str:
    rows = [
        inventory.Row(result.task.department, result.task.category, result.derived)
        for result in results
    ]
    totals = inventory.totals(rows)
    line = ngettext(
        "Imported %(tasks)s task into “%(name)s” (%(org)s): %(hours)s annual hours, "
        "%(fte)s FTE, annual cost ¥%(cost)s.",
        "Imported %(tasks)s tasks into “%(name)s” (%(org)s): %(hours)s annual hours, "
        "%(fte)s FTE, annual cost ¥%(cost)s.",
        totals.tasks,
    ) % {
        "tasks": totals.tasks,
        "name": assessment.name,
        "org": assessment.organisation.name,
        "hours": f"{_round(totals.annual_hours, '0.1'):,}",
        "fte": f"{_round(totals.fte, '0.01'):,}",
        "cost": f"{_round(totals.annual_cost, '1'):,}",
    }
    if totals.tasks_without_volume:
        # Say so rather than let a low total look complete.
        line += " " + ngettext(
            "%(count)s task has no frequency or minutes and is not counted.",
            "%(count)s tasks have no frequency or minutes and are not counted.",
            totals.tasks_without_volume,
        ) % {"count": totals.tasks_without_volume}
    return line


def _round(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), ROUND_HALF_UP)
