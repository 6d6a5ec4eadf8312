"""Write every file of the corpus and an `expected.json`, so that a person can open the sheets in
Excel or LibreOffice and check the expected figures by hand.

    .venv/bin/python -m tests.corpus.write OUTDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tests.corpus.sheets import CASES, Case


def expected(case: Case) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": case.name,
        "about": case.about,
        "filename": case.filename,
        "args": list(case.args),
    }
    if case.refused:
        entry["refused"] = list(case.refused)
    if case.tasks is not None:
        categories = case.categories or {}
        entry["tasks"] = [
            {
                "department": department,
                "process": process,
                "task": task,
                "annual_hours": str(hours),
                **(
                    {"category": categories[(department, process, task)]}
                    if (department, process, task) in categories
                    else {}
                ),
            }
            for (department, process, task), hours in case.tasks.items()
        ]
        entry["total_hours"] = str(sum(case.tasks.values()))
    return entry


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for case in CASES:
        if case.filename in written:  # the same file, run with other options
            continue
        path = directory / case.filename
        path.write_bytes(case.build())
        written[case.filename] = path
    manifest = directory / "expected.json"
    manifest.write_text(
        json.dumps([expected(case) for case in CASES], ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return [*written.values(), manifest]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.corpus.write OUTDIR", file=sys.stderr)
        return 2
    paths = write(Path(argv[0]))
    print(f"{len(paths) - 1} files and expected.json ({len(CASES)} cases) in {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
