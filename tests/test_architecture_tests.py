"""The tests' own layout: a test module never imports another test module, nor a conftest.py.
Shared data comes from tests/factories.py, shared fixtures from the conftest.py files (pytest
finds them), and other shared helpers from helper modules such as tests/helpers.py."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it: `from a import b` counts as a and a.b."""
    package = module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def forbidden(module: str) -> bool:
    """A test module or a conftest of tests/."""
    parts = module.split(".")
    return parts[0] == "tests" and (parts[-1].startswith("test_") or parts[-1] == "conftest")


def test_relative_imports_are_resolved(tmp_path, monkeypatch):
    folder = tmp_path / "tests" / "vendors"
    folder.mkdir(parents=True)
    path = folder / "test_x.py"
    path.write_text("from . import test_y\nfrom ..conftest import a\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert {"tests.vendors.test_y", "tests.conftest"} <= imported_modules(path)
    assert not forbidden("tests.factories") and not forbidden("tests.assessments.files")


def test_no_test_module_imports_another_test_module_or_a_conftest():
    modules = sorted(TESTS.rglob("test_*.py"))
    assert len(modules) > 50
    wrong = {
        str(path.relative_to(ROOT)): found
        for path in modules
        if (found := sorted(m for m in imported_modules(path) if forbidden(m)))
    }
    assert wrong == {}, (
        "put shared data in tests/factories.py, fixtures in a conftest.py, and other helpers in "
        "a helper module (e.g. tests/helpers.py)"
    )
