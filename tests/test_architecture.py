"""The layout stays the architecture (docs/ARCHITECTURE.md): no import cycles at all among the
project's modules, imports inside functions included; the domain packages stay pure; and the
layers contract of pyproject.toml holds (`lint-imports`, also run by `make test`)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assessments", "vendors", "outsourcing_advisor")
DOMAIN = ("assessments/domain", "vendors/domain")
# A pure module may translate its words and name its choices; nothing that reaches a database,
# a request or the settings.
ALLOWED_DJANGO = {"django.utils.translation", "django.utils.functional", "django.utils"}
CHOICES = {"TextChoices", "IntegerChoices", "Choices"}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"a"}}, []),  # a module importing itself is no cycle between modules
    ],
)
def test_cycles_are_found(edges, expected):
    assert cycles(edges) == expected


def test_no_module_imports_one_that_imports_it_back(graph):
    edges = {
        module: {m for m in graph.find_modules_directly_imported_by(module) if m in graph.modules}
        for module in graph.modules
        if ".migrations" not in module
    }
    assert cycles(edges) == []


def test_the_layers_contract_holds(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "argv", ["lint-imports"])
    assert lint_imports(no_cache=True) == 0


def _django_imports(path: Path) -> list[tuple[str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django"):
            found.append((node.module or "", [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.startswith("django")]
    return found


def _models_attributes(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "models"
    }


@pytest.mark.parametrize(
    "path",
    sorted(p for folder in DOMAIN for p in (ROOT / folder).glob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_the_domain_reaches_no_database_request_or_settings(path):
    for module, names in _django_imports(path):
        if module == "django.db":
            assert names == ["models"], f"{path.name} imports {names} from django.db"
            used = _models_attributes(path)
            assert used <= CHOICES, f"{path.name} uses models.{sorted(used - CHOICES)}"
        else:
            assert module in ALLOWED_DJANGO, f"{path.name} imports {module}"
