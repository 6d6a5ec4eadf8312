"""The history's pure part: what counts as a change, and how values are kept as text."""

from decimal import Decimal

import pytest

from outsourcing_advisor.history.record import as_text, field_changes


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({}, {}, []),
        ({"minutes": Decimal("120.00")}, {"minutes": Decimal(120)}, []),  # same number
        ({"minutes": Decimal(120)}, {"minutes": Decimal(60)}, [("minutes", "120", "60")]),
        ({"notes": ""}, {"notes": None}, []),  # nothing is nothing
        ({"notes": None}, {"notes": "new"}, [("notes", "", "new")]),
        (
            {"model": "bpo", "justification": "why"},
            {},
            [("model", "bpo", ""), ("justification", "why", "")],
        ),
        ({}, {"C1": "yes"}, [("C1", "", "yes")]),
        ({"C1": "no", "C2": "yes"}, {"C2": "no", "C1": "no"}, [("C2", "yes", "no")]),
        ({"expertise": 2}, {"expertise": "2"}, []),  # as text
        ({"flag": False}, {"flag": True}, [("flag", "false", "true")]),
        (
            {"conditions": [["a", "eq", 1]]},
            {"conditions": [["a", "eq", 2]]},
            [("conditions", '[["a", "eq", 1]]', '[["a", "eq", 2]]')],
        ),
        ({"name": "人事部"}, {"name": "経理部"}, [("name", "人事部", "経理部")]),
    ],
)
def test_field_changes(before, after, expected):
    found = field_changes(before, after)
    assert [(c["field"], c["old"], c["new"]) for c in found] == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (Decimal("1.50"), "1.5"),
        (Decimal("-0.00"), "0"),
        (Decimal("5E+6"), "5000000"),
        (3, "3"),
        ({"b": 1, "a": "あ"}, '{"a": "あ", "b": 1}'),
        ("<b>", "<b>"),  # kept as typed; escaped when shown
    ],
)
def test_values_are_kept_as_text(value, text):
    assert as_text(value) == text
