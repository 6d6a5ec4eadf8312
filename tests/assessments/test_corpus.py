"""The realistic corpus (tests/corpus, SPEC 4.2.1) through the command line: each sheet people
already keep must give the annual hours worked out by hand, or be refused with a message naming
what is wrong."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Task
from tests.corpus.sheets import CASES, Case

CENT = Decimal("0.01")
CATEGORY_KEYS = {
    *("hr", "accounting", "general_affairs", "customer_support", "data_entry", "it"),
    *("analysis", "legal_expert", "creative", "sales_marketing", "planning", "other"),
}


def assess(case: Case, tmp_path: Path) -> tuple[Path, str, CommandError | None]:
    """Write the case's file and run `assess FILE --csv OUT [ARGS]`; return OUT, what the
    command printed to stderr, and the CommandError it raised (None when it succeeded)."""
    source = tmp_path / case.filename
    source.write_bytes(case.build())
    out = tmp_path / "results.csv"
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(
            "assess", str(source), "--csv", str(out), *case.args, stdout=stdout, stderr=stderr
        )
    except CommandError as error:
        return out, stderr.getvalue(), error
    return out, stderr.getvalue(), None


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus(case: Case, db, tmp_path: Path) -> None:
    out, stderr, error = assess(case, tmp_path)
    if case.refused:
        assert error is not None, f"accepted, but must be refused naming {case.refused}"
        output = f"{stderr}\n{error}"
        missing = [text for text in case.refused if text not in output]
        assert not missing, f"the refusal does not name {missing}:\n{output}"
        assert not Assessment.objects.exists()
        assert not out.exists()
        return

    assert error is None, f"refused: {error}\n{stderr}"
    with out.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        columns = reader.fieldnames or []
        rows = list(reader)

    keys = [(row["department"], row["process"], row["task"]) for row in rows]
    repeated = sorted(key for key, count in Counter(keys).items() if count > 1)
    assert not repeated, f"tasks listed more than once (rows not added together?): {repeated}"
    got = {
        key: Decimal(row["annual_hours"]).quantize(CENT)
        for key, row in zip(keys, rows, strict=True)
    }
    assert case.tasks is not None
    expected = {key: hours.quantize(CENT) for key, hours in case.tasks.items()}
    assert sorted(got) == sorted(expected), _difference(got, expected)
    wrong = {key: (got[key], hours) for key, hours in expected.items() if got[key] != hours}
    assert not wrong, "annual hours (got ≠ expected): " + "; ".join(
        f"{' / '.join(key)}: {pair[0]} ≠ {pair[1]}" for key, pair in wrong.items()
    )

    if case.categories:
        assert "category" in columns, "the results CSV has no category column (SPEC 6.2)"
        categories = dict(zip(keys, (row["category"] for row in rows), strict=True))
        wrong_categories = {
            key: (categories[key], category)
            for key, category in case.categories.items()
            if categories[key] != category
        }
        assert not wrong_categories, f"categories (got, expected): {wrong_categories}"

    if case.ranges:
        # The range the sheet gave is kept on the task (SPEC 4.5), in the usual figures' units.
        fields = ("occurrences_low", "occurrences_high", "minutes_low", "minutes_high")
        stored = {
            (task["department"], task["process"], task["task"]): tuple(task[f] for f in fields)
            for task in Task.objects.values("department", "process", "task", *fields)
        }
        wrong_ranges = {
            key: (stored[key], bounds)
            for key, bounds in case.ranges.items()
            if stored[key] != bounds
        }
        assert not wrong_ranges, f"ranges (stored, expected): {wrong_ranges}"


def _difference(got: dict, expected: dict) -> str:
    extra = sorted(set(got) - set(expected))
    missing = sorted(set(expected) - set(got))
    return f"tasks not expected: {extra}\ntasks missing: {missing}"


# --- the corpus itself ----------------------------------------------------------------------------


def _normalised(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split())


def test_the_corpus_is_well_formed() -> None:
    """Checks on the corpus, not on the product: unique names, the expected figures in cents, the
    names as normalised, the categories among the keys, each case either accepted or refused."""
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    builders: dict[str, object] = {}
    for case in CASES:
        assert (case.tasks is None) == bool(case.refused), case.name
        # One filename, one file (the --prefer cases rerun the same file).
        assert builders.setdefault(case.filename, case.build) is case.build, case.filename
        assert case.build()[:2] in (b"PK", b"\xd0\xcf") or "." + case.filename.split(".")[-1] in (
            ".csv",
            ".tsv",
            ".txt",
        ), case.name
        for key, hours in (case.tasks or {}).items():
            assert all(part == _normalised(part) and part for part in key), (case.name, key)
            assert hours == hours.quantize(CENT) and hours > 0, (case.name, key)
        if case.tasks:
            assert 5 <= len(case.tasks) <= 30, case.name
        for key, category in (case.categories or {}).items():
            assert case.tasks is not None and key in case.tasks, (case.name, key)
            assert category in CATEGORY_KEYS, (case.name, category)
        for key, bounds in (case.ranges or {}).items():
            assert case.tasks is not None and key in case.tasks, (case.name, key)
            assert len(bounds) == 4, (case.name, key)
