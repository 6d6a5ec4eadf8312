"""Table tests of the pure pieces behind the check pages: how a person's answers merge with the
pre-filled and imported ones, the core × standardisability quadrant, and the version diff."""

from decimal import Decimal

import pytest

from assessments.domain import changes, inventory
from assessments.domain.classification import DefinitionError, answer_origins, merge_answers

PREFILLED = {"C3": "yes", "C9": "no"}


@pytest.mark.parametrize(
    ("given", "sources", "submitted", "answers", "origins"),
    [
        # Nothing given, the user keeps the pre-fills and answers C1: only C1 is stored.
        ({}, {}, {"C1": "no", "C3": "yes", "C9": "no"}, {"C1": "no"}, {"C1": "user"}),
        # Changing a pre-fill stores the user's answer.
        ({}, {}, {"C3": "partly"}, {"C3": "partly"}, {"C3": "user"}),
        # An imported answer left unchanged keeps its source.
        ({"C3": "no"}, {"C3": "file"}, {"C3": "no"}, {"C3": "no"}, {"C3": "file"}),
        # An imported answer changed back to the pre-fill is the user's (it was explicit).
        ({"C3": "no"}, {"C3": "file"}, {"C3": "yes"}, {"C3": "yes"}, {"C3": "user"}),
        # Clearing an answer removes it (the pre-fill, if any, applies again).
        ({"C1": "yes"}, {"C1": "user"}, {"C1": ""}, {}, {}),
        # Clearing what was never given changes nothing.
        ({}, {}, {"C2": ""}, {}, {}),
        # "Don't know" is an answer like any other.
        ({}, {}, {"C5": "unknown"}, {"C5": "unknown"}, {"C5": "user"}),
        # Codes not submitted are left alone.
        (
            {"C7": "yes"},
            {"C7": "file"},
            {"C1": "no"},
            {"C7": "yes", "C1": "no"},
            {"C7": "file", "C1": "user"},
        ),
    ],
)
def test_merge_answers(given, sources, submitted, answers, origins):
    assert merge_answers(given, sources, PREFILLED, submitted) == (answers, origins)


def test_merge_answers_refuses_a_value_outside_the_answers():
    with pytest.raises(DefinitionError, match="maybe"):
        merge_answers({}, {}, PREFILLED, {"C1": "maybe"})


def test_answer_origins():
    origins = answer_origins({"C3": "no", "C1": "yes"}, {"C3": "file"}, PREFILLED)
    assert origins == {"C3": "file", "C9": "prefill", "C1": "user"}


def row(verdict: str, standardizable: str, hours: str | None) -> inventory.Row:
    derived = inventory.Derived(
        annual_occurrences=None,
        annual_hours=None if hours is None else Decimal(hours),
        fte=None,
        hourly_cost=Decimal(3000),
        annual_cost=None,
        single_person_dependency=False,
    )
    return inventory.Row("HR", "hr", derived, "", verdict, standardizable)


def test_quadrant_counts_tasks_and_hours_per_cell():
    found = inventory.quadrant(
        [
            row("non_core", "yes", "100"),
            row("non_core", "yes", "20.5"),
            row("core", "no", None),  # no volume yet: counted, no hours
            row("borderline", "partly", "8"),
            row("incomplete", "yes", "50"),  # no verdict yet
            row("core", "", "10"),  # standardisability unknown
            row("", "yes", "1"),  # never checked
        ]
    )
    assert found.cells["non_core", "yes"] == inventory.Cell(2, Decimal("120.5"))
    assert found.cells["core", "no"] == inventory.Cell(1, Decimal(0))
    assert found.cells["borderline", "partly"] == inventory.Cell(1, Decimal(8))
    assert found.cells["core", "yes"] == inventory.Cell()
    assert found.unplaced == 3
    assert [cell.tasks for cell in found.row("non_core")] == [2, 0, 0]


def test_quadrant_of_nothing():
    found = inventory.quadrant([])
    assert found.unplaced == 0 and all(cell == inventory.Cell() for cell in found.cells.values())


def test_diff_records():
    before = {"C1": {"weight": 1, "text": "a"}, "C2": {"weight": 1}, "C3": {"weight": 2}}
    after = {"C1": {"weight": 2, "text": "a"}, "C3": {"weight": 2}, "C11": {"weight": 1}}
    assert changes.diff_records(before, after) == [
        changes.Change("C1", "changed", (("weight", 1, 2),)),
        changes.Change("C11", "added"),
        changes.Change("C2", "removed"),
    ]
    assert changes.diff_records(after, after) == []


def test_outcome_changes_ignore_a_score_that_stays_within_its_verdict():
    out = changes.Outcome
    before = {1: out("non_core", "bpo", 70), 2: out("core", "in_house", 20), 3: out("core", "", 30)}
    after = {
        1: out("non_core", "bpo", 65),
        2: out("borderline", "bpo", 45),
        3: out("core", "in_house", 30),
        4: out("core", "", 0),
    }
    found = changes.outcome_changes(before, after)
    assert [change.key for change in found] == [2, 3]  # 4 is new: it had nothing to change from
