"""Parts of one whole rounded so that they add up to the whole shown (largest remainder):
the points of a suitability score beside its total, the shares of hours beside 100%."""

from decimal import Decimal

import pytest

from outsourcing_advisor.common.wording import percentages, rounded_to_total

D = Decimal


@pytest.mark.parametrize(
    ("values", "total", "places", "expected"),
    [
        # 50 + 5.56 + 5.56 + 2.78 = 63.89, shown 63.9: the parts 13.9, not 5.6 + 5.6 + 2.8 = 14.0.
        ([D("5.56"), D("5.56"), D("2.78")], D("13.9"), 1, ["5.6", "5.5", "2.8"]),
        # A tie goes to the part met first.
        ([D(1) / 3] * 3, D("1.0"), 1, ["0.4", "0.3", "0.3"]),
        # Negative parts (answers towards keeping the work) round the same way.
        ([D("-5.56"), D("11.11"), D("-2.78")], D("2.8"), 1, ["-5.5", "11.1", "-2.8"]),
        ([D("10.0"), D("5.0")], D("15.0"), 1, ["10.0", "5.0"]),  # exact: unchanged
        ([D("0.004"), D("0.004")], D("0.0"), 2, ["0.00", "0.00"]),
        ([], D(0), 1, []),
        # A total the parts cannot reach: each part rounded on its own.
        ([D("1.04"), D("2.04")], D("9.0"), 1, ["1.0", "2.0"]),
    ],
)
def test_rounded_to_total(values, total, places, expected):
    shown = rounded_to_total(values, total, places)

    assert [str(part) for part in shown] == expected
    if expected and total == sum(D(part) for part in expected):
        assert sum(shown) == total


@pytest.mark.parametrize(
    ("parts", "places", "expected"),
    [
        # The overview's departments: 48.4 + 38.2 + 13.4; whole: 49 + 38 + 13, never 48 + 38 + 13.
        ([D(304), D(240), D(84)], 1, ["48.4", "38.2", "13.4"]),
        ([D(304), D(240), D(84)], 0, ["49", "38", "13"]),
        # Categories whose shares, rounded alone, add up to 100.1%.
        ([D(240), D(180), D(84), D(72), D(52)], 1, ["38.2", "28.6", "13.4", "11.5", "8.3"]),
        ([1.0, 1.0, 1.0], 1, ["33.4", "33.3", "33.3"]),  # floats as the groups hold them
        ([D(1), D(0)], 1, ["100.0", "0.0"]),
        ([D(0), D(0)], 1, ["0.0", "0.0"]),  # nothing to share: no 100% to reach
        ([], 1, []),
    ],
)
def test_percentages_add_up_to_100(parts, places, expected):
    shown = percentages(parts, places)

    assert [str(share) for share in shown] == expected
    if any(parts):
        assert sum(shown) == 100


@pytest.mark.parametrize("count", [2, 3, 6, 7, 11, 13])
def test_each_share_stays_within_one_unit_of_its_exact_value(count):
    parts = [D(n * 37 % 101 + 1) for n in range(count)]
    whole = sum(parts)

    shown = percentages(parts, 1)

    assert sum(shown) == 100
    for part, share in zip(parts, shown, strict=True):
        assert abs(share - part * 100 / whole) < D("0.1")
