"""`manage.py assess FILE`: import an inventory file into a new assessment and write the results
(SPEC 4.8); with `--vendors`, also rank the vendors of an evaluation file per sourcing package and,
with `--ranking`, write the ranking CSV (SPEC 6.4); with `--xlsx`, write the Excel export the
browser downloads (inventory, results and summary, in the `--lang` language); with `--pdf`, the
recommendation report the browser downloads, in the `--lang` language. A bad file exits
non-zero with the importer's row-level messages and changes nothing: no output file, no
assessment."""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
from argparse import ArgumentParser
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.domain import inventory
from assessments.domain.choices import Category, Outcome
from assessments.files.decisions import PREFER_COMPUTED, PREFER_STATED, Decisions
from assessments.files.problems import ImportRejected, Problem, megabytes, reject
from assessments.files.reading import Reading, command_line_notices, notices, read, source
from assessments.models import Assessment, MappingProfile
from assessments.reporting.pdf import report_pdf
from assessments.reporting.spreadsheets import (
    ResultRow,
    export_workbook,
    result_rows,
    write_results_csv,
)
from outsourcing_advisor.accounts.models import Organisation
from outsourcing_advisor.common.wording import language_codes, reader_language
from vendors.domain.uncertainty import seed_for
from vendors.files.evaluations import ParsedEvaluations, parse_evaluations
from vendors.reporting.ranking import (
    PackageFigures,
    PackageRanking,
    rank_file,
    rows_by_package,
    write_ranking_csv,
)
from vendors.services.sealing import NO_PERSON
from vendors.services.selection import (
    hourly_problem,
    package_facts,
    task_ranges,
    terms_of,
    weights_for,
)

DEFAULT_ORGANISATION = "CLI"


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property so that the text is translated when the parser is built.
        # Two messages: the first keeps its existing translation.
        return (
            _(
                "Import an inventory file (.xlsx, .xlsm, .xls, .ods, CSV, TSV or text) into a new "
                "assessment and print a summary. With --csv, also write one line per task (UTF-8 "
                "without BOM, comma-separated)."
            )
            + " "
            + _(
                "With --vendors, also rank the vendors of an evaluation file for each sourcing "
                "package; with --ranking, write that ranking as CSV."
            )
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", help=_("The inventory file: .xlsx, .xlsm, .xls, .ods, CSV, TSV or text.")
        )
        parser.add_argument(
            "--org",
            default=DEFAULT_ORGANISATION,
            help=_("Organisation name; created when it does not exist (default: %(default)s)."),
        )
        parser.add_argument(
            "--lang",
            choices=language_codes(),
            default=settings.LANGUAGE_CODE,
            help=_("Language of the messages (default: %(default)s)."),
        )
        parser.add_argument(
            "--mapping",
            metavar="NAME",
            help=_(
                "Read the file with the organisation's saved mapping of this name (made in the "
                "browser's mapping step): which column is which, units, words, default "
                "categories."
            ),
        )
        parser.add_argument(
            "--prefer",
            choices=[PREFER_STATED, PREFER_COMPUTED],
            help=_(
                "Where a row's stated annual hours and its frequency × minutes × people differ "
                "by more than 5%%: keep the stated hours or the computed ones. Without it, such "
                "a file is refused."
            ),
        )
        parser.add_argument(
            "--csv",
            metavar="OUT.csv",
            help=_(
                "Write the results CSV here: UTF-8 without BOM, English column names, "
                "one line per task. Replaced only once everything succeeded."
            ),
        )
        parser.add_argument(
            "--vendors",
            metavar="VENDORS_FILE",
            help=_(
                "A vendor evaluation file (.xlsx or .csv): one row per package, vendor and "
                "evaluator, with the scores and the quote. Checked, then ranked per sourcing "
                "package; a summary of the winners is printed."
            ),
        )
        parser.add_argument(
            "--ranking",
            metavar="OUT.csv",
            help=_(
                "Write the vendor ranking CSV here (needs --vendors): UTF-8 without BOM, one line "
                "per package and vendor. Replaced only once everything succeeded."
            ),
        )
        parser.add_argument(
            "--xlsx",
            metavar="OUT.xlsx",
            help=_(
                "Write the Excel export here, as the browser downloads it: the inventory, every "
                "task's figures, verdict and recommendation, and a summary, in the --lang "
                "language. Replaced only once everything succeeded."
            ),
        )
        parser.add_argument(
            "--pdf",
            metavar="OUT.pdf",
            help=_(
                "Write the PDF recommendation report here, as the browser downloads it, in the "
                "--lang language. Replaced only once everything succeeded."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            if options["ranking"] and not options["vendors"]:
                # Refused before any work: there would be nothing to rank.
                raise CommandError(
                    _("--ranking needs --vendors: the ranking is of the vendors in that file.")
                )
            source = Path(options["file"])
            outputs = _outputs(options["csv"], options["ranking"], options["xlsx"], options["pdf"])
            organisation_name = _organisation_name(options["org"])
            decisions = _decisions(organisation_name, options["mapping"], options["prefer"])
            with without_cycle_collection():
                data = read_input(source)
                vendors = _vendor_file(options["vendors"]) if options["vendors"] else None
                parsed = self._read(data, source.name, organisation_name, decisions)
                try:
                    saved = save(parsed, organisation_name, outputs, vendors)
                except ImportRejected as rejected:
                    # Only the vendor file is parsed inside the transaction (it needs the
                    # packages); leaving `save` has already rolled the import back.
                    filename = vendors.filename if vendors else source.name
                    raise self._rejected(rejected, filename) from None
            self.stdout.write(summary(saved.assessment, saved.rows))
            if saved.evaluations is not None:
                self._warn_ignored(saved.evaluations.ignored_headers, saved.evaluations.filename)
                self.stdout.write(ranking_summary(saved.evaluations, saved.rankings))

    def _read(self, data: bytes, filename: str, organisation: str, decisions: Decisions) -> Reading:
        """Read the file, or print every problem (and every question the browser would ask,
        with its fix) to stderr and stop before touching the database."""
        org = Organisation.objects.filter(name=organisation).first()
        settings_ = inventory.OrgSettings.of(org) if org else inventory.OrgSettings()
        fallback = not decisions.category
        if fallback:
            # The command line cannot ask: tasks no word places are filed under "other", and
            # it says so below.
            decisions.category = Category.OTHER
        try:
            reading = read(data, filename, decisions, settings_)
        except ImportRejected as rejected:
            raise self._rejected(rejected, filename) from None
        if not reading.ready:
            raise self._rejected(ImportRejected(reading.refusal()), filename)
        for line in [source(reading), *notices(reading), *command_line_notices(reading)]:
            if line:
                self.stderr.write(line)
        defaulted = [
            row
            for row, category in reading.assembled.defaulted.items()
            if fallback and category == Category.OTHER
        ]
        if defaulted:
            self.stderr.write(
                self.style.WARNING(
                    ngettext(
                        "%(count)s task's category could not be inferred from its names and is "
                        "“%(other)s” (row %(rows)s): add a 業務区分 column, or a default "
                        "category in a saved mapping.",
                        "%(count)s tasks' categories could not be inferred from their names and "
                        "are “%(other)s” (rows %(rows)s): add a 業務区分 column, or a default "
                        "category in a saved mapping.",
                        len(defaulted),
                    )
                    % {
                        "count": len(defaulted),
                        "other": Category.OTHER.label,
                        "rows": ", ".join(str(r) for r in defaulted[:15])
                        + ("…" if len(defaulted) > 15 else ""),
                    }
                )
            )
        if reading.ignored_headers:
            self._warn_ignored(reading.ignored_headers)
        return reading

    def _rejected(self, rejected: ImportRejected, filename: str) -> CommandError:
        """Print every problem to stderr, one per line; the error names the file and the count."""
        for problem in rejected.problems:
            self.stderr.write(str(problem))
        count = len(rejected.problems)
        return CommandError(
            ngettext(
                "%(file)s: %(count)s problem; nothing was imported.",
                "%(file)s: %(count)s problems; nothing was imported.",
                count,
            )
            % {"file": filename, "count": count}
        )

    def _warn_ignored(self, headers: list[str], filename: str = "") -> None:
        if not headers:
            return
        message = _("Warning: these columns were not recognised and were ignored: %(headers)s")
        message %= {"headers": ", ".join(headers)}
        # Two input files: say which one the warning is about.
        self.stderr.write(self.style.WARNING(f"{filename}: {message}" if filename else message))


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
                    "size": megabytes(size),
                    "limit": megabytes(limit, round_up=False),
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


@dataclass(frozen=True)
class VendorFile:
    data: bytes
    filename: str


def _vendor_file(value: str) -> VendorFile:
    path = Path(value)
    return VendorFile(read_input(path), path.name)


@dataclass(frozen=True)
class Outputs:
    results: Path | None = None  # --csv
    ranking: Path | None = None  # --ranking
    xlsx: Path | None = None  # --xlsx
    pdf: Path | None = None  # --pdf


def _outputs(
    results: str | None, ranking: str | None, xlsx: str | None = None, pdf: str | None = None
) -> Outputs:
    outputs = Outputs(
        _output_path(results) if results else None,
        _output_path(ranking) if ranking else None,
        _output_path(xlsx) if xlsx else None,
        _output_path(pdf) if pdf else None,
    )
    if (
        outputs.results
        and outputs.ranking
        and outputs.results.resolve() == outputs.ranking.resolve()
    ):
        # The second file would silently replace the first.
        raise CommandError(
            _("--csv and --ranking name the same file: %(path)s") % {"path": outputs.ranking}
        )
    if outputs.xlsx:
        for option, other in (("--csv", outputs.results), ("--ranking", outputs.ranking)):
            if other and other.resolve() == outputs.xlsx.resolve():
                raise CommandError(
                    _("%(option)s and --xlsx name the same file: %(path)s")
                    % {"option": option, "path": outputs.xlsx}
                )
    if outputs.pdf:
        others = (("--csv", outputs.results), ("--ranking", outputs.ranking))
        for option, other in (*others, ("--xlsx", outputs.xlsx)):
            if other and other.resolve() == outputs.pdf.resolve():
                raise CommandError(
                    _("%(option)s and --pdf name the same file: %(path)s")
                    % {"option": option, "path": outputs.pdf}
                )
    return outputs


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


@dataclass
class Saved:
    assessment: Assessment
    rows: list[ResultRow]
    evaluations: ParsedEvaluations | None = None  # None: no --vendors
    rankings: list[PackageRanking] = field(default_factory=list)


def _decisions(organisation: str, mapping: str | None, prefer: str | None) -> Decisions:
    """The saved mapping named on the command line, with --prefer on top."""
    decisions = Decisions()
    if mapping:
        profile = MappingProfile.objects.filter(
            organisation__name=organisation, name=mapping
        ).first()
        if profile is None:
            raise CommandError(
                _("The organisation “%(org)s” has no saved mapping named “%(name)s”.")
                % {"org": organisation, "name": mapping}
            )
        decisions = Decisions.from_json(profile.decisions)
    if prefer:
        decisions.prefer = prefer
    return decisions


@transaction.atomic
def save(
    parsed: Reading,
    organisation: str,
    outputs: Outputs,
    vendors: VendorFile | None = None,
) -> Saved:
    """Create the assessment, rank the vendors and write the files in one transaction: a failure
    (a bad vendor file raises ImportRejected) leaves nothing, in the database or on disk."""
    org, _created = Organisation.objects.get_or_create(name=organisation)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    assessment = Assessment.objects.start(
        organisation=org, name=f"{parsed.filename[:180]} {stamp}", created_by=None
    )
    assessment.import_tasks(
        parsed.rows,
        filename=parsed.filename,
        sha256=parsed.sha256,
        user=None,
        replace=True,
        provided=parsed.provided,
    )
    saved = Saved(assessment, result_rows(assessment))
    if vendors is not None:
        saved.evaluations, saved.rankings = rank_vendors(assessment, vendors)
    elif outputs.pdf is not None:
        # The report's packages section (in-house cost per package) needs the packages, as the
        # browser's "create packages" makes them.
        assessment.create_packages()
    files: list[tuple[Path, Writer | bytes]] = []
    if outputs.results is not None:
        files.append(
            (outputs.results, lambda stream: write_results_csv(assessment, stream, saved.rows))
        )
    if outputs.ranking is not None:
        lines = [line for ranking in saved.rankings for line in ranking.lines]
        files.append((outputs.ranking, lambda stream: write_ranking_csv(stream, lines)))
    if outputs.xlsx is not None:
        # After the ranking, which creates the packages the workbook names. handle() has
        # activated --lang.
        language = reader_language()
        files.append((outputs.xlsx, export_workbook(assessment, language)))
    if outputs.pdf is not None:
        # Last: it reports the packages and rankings made above. handle() has activated --lang.
        language = reader_language()
        # No person at the command line: nothing is sealed (README "Vendor selection").
        files.append((outputs.pdf, report_pdf(assessment, lang=language, viewer=NO_PERSON)))
    write_files(files)
    return saved


def rank_vendors(
    assessment: Assessment, vendors: VendorFile
) -> tuple[ParsedEvaluations, list[PackageRanking]]:
    """Group the recommended tasks into packages (SPEC 4.5), then parse the evaluation file
    against them and rank each package's vendors. Raises ImportRejected for a bad file."""
    assessment.create_packages()
    packages = package_figures(assessment)
    if not packages:
        raise reject(
            _(
                "No task of the inventory is recommended for a vendor, so there is no sourcing "
                "package to rank the vendors for."
            )
        )
    parsed = parse_evaluations(
        vendors.data, vendors.filename, known_packages={figures.key for figures in packages}
    )
    _refuse_misfit_quotes(parsed, packages)
    rankings = rank_file(
        parsed,
        packages,
        weights_for(assessment),
        overhead_rate=assessment.overhead_rate,
        on=timezone.localdate(),
    )
    return parsed, rankings


def package_figures(assessment: Assessment) -> list[PackageFigures]:
    """Each package's in-house cost, hours and data sensitivity, in the assessment's order.
    A new assessment has one package per model, so the model key names it unambiguously."""
    figures = []
    for package in assessment.packages.all():
        rows = assessment.task_rows(package=package)
        totals = inventory.totals(assessment.as_summary_rows(rows))
        figures.append(
            PackageFigures(
                key=package.model,
                model=package.model,
                in_house_cost=totals.annual_cost,
                sensitive=any(task.handles_sensitive_data for task, _derived in rows),
                annual_hours=totals.annual_hours,
                facts=package_facts(package, rows),
                terms=terms_of(package),
                price_weight=Decimal(package.price_weight),
                tasks=tuple(task_ranges(rows, assessment.organisation.estimate_spread)),
                seed=seed_for(assessment.pk, package.pk),
            )
        )
    return figures


Writer = Callable[[IO[str]], None]


def write_files(files: Sequence[tuple[Path, Writer | bytes]]) -> None:
    """Write each file to a temporary file beside it and rename them only once all are written:
    never a half-written file, and no file replaced when another one fails. A file is given as a
    function writing text (UTF-8) or as its bytes (a workbook)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, write in files:
            staged.append((_write_temporary(path, write), path))
        while staged:
            temporary, path = staged[0]
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise _write_error(path, error) from None
            staged.pop(0)
    finally:
        for temporary, _path in staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _refuse_misfit_quotes(parsed: ParsedEvaluations, packages: list[PackageFigures]) -> None:
    """A staffing package's quote by the hour, and only its: as the browser's import refuses."""
    grouped = rows_by_package(parsed, packages)
    staffing = {figures.key: figures.model == Outcome.DISPATCH for figures in packages}
    problems = [
        Problem(row.source_row, parsed.column_names.get(column), message)
        for key, rows in grouped.items()
        for row in rows
        if (found := hourly_problem(row, staffing=staffing.get(key, False))) is not None
        for column, message in [found]
    ]
    if problems:
        raise ImportRejected(sorted(problems, key=lambda problem: problem.row or 0))


def _write_temporary(path: Path, write: Writer | bytes) -> str:
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _write_error(path, error) from None
    try:
        if isinstance(write, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(write)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                write(stream)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp creates 0600; honour the umask
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _write_error(path, error) from None
        raise
    return temporary


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


def ranking_summary(evaluations: ParsedEvaluations, rankings: list[PackageRanking]) -> str:
    """One line per package the file bids for: its winner(s), total and stability."""
    lines = []
    if "package" not in evaluations.columns and rankings:
        lines.append(
            _(
                "%(file)s has no package column: its vendors bid for %(package)s, the package "
                "with the most annual hours."
            )
            % {"file": evaluations.filename, "package": rankings[0].figures.key}
        )
    lines += [_winner_line(ranking) for ranking in rankings]
    return "\n".join(lines)


def _winner_line(ranking: PackageRanking) -> str:
    package = ranking.figures.key
    first = [row for row in ranking.ranking if row.rank == 1]
    if not first or first[0].combined is None:
        return _(
            "%(package)s: no vendor ranked (each is excluded, not scored or without a quote)."
        ) % {"package": package}
    parts = {
        "package": package,
        "winners": " / ".join(row.name for row in first),
        "combined": _round(first[0].combined, "0.1"),
        "total": "-" if first[0].total is None else _round(first[0].total, "0.1"),
        "weight": ranking.figures.price_weight,
    }
    if ranking.sensitivity.stable:
        return (
            _(
                "%(package)s: winner %(winners)s, combined %(combined)s (quality %(total)s, "
                "price weight %(weight)s%%); no ±10-point weight change alters the winner."
            )
            % parts
        )
    return (
        _(
            "%(package)s: winner %(winners)s, combined %(combined)s (quality %(total)s, price "
            "weight %(weight)s%%); a ±10-point weight change alters the winner."
        )
        % parts
    )
