"""Table tests of the 法人番号 (corporate number): its check digit and how what people type is
read (vendors/domain/corporate_number.py). Pure, no database."""

import pytest

from vendors.domain.corporate_number import check_digit, is_valid, normalised


@pytest.mark.parametrize(
    ("typed", "number", "valid"),
    [
        # Real numbers, as published on the National Tax Agency's site.
        pytest.param("1180301018771", "1180301018771", True, id="real-toyota"),
        pytest.param("7000012050002", "7000012050002", True, id="real-nta"),
        # The demo's fictional numbers: valid check digits, no real company meant.
        pytest.param("2010401099001", "2010401099001", True, id="fictional"),
        # Typed as people do: full-width digits, hyphens, spaces.
        pytest.param("１１８０３０１０１８７７１", "1180301018771", True, id="full-width"),
        pytest.param("1180-3010-18771", "1180301018771", True, id="hyphens"),
        pytest.param(
            "７０００　０１２０　５０００２", "7000012050002", True, id="full-width-spaces"
        ),
        pytest.param("1180－3010－18771", "1180301018771", True, id="full-width-hyphens"),
        # Wrong.
        pytest.param("2180301018771", "2180301018771", False, id="wrong-check-digit"),
        pytest.param("7000012050003", "7000012050003", False, id="a-digit-changed"),
        pytest.param("118030101877", "118030101877", False, id="12-digits"),
        pytest.param("11803010187710", "11803010187710", False, id="14-digits"),
        pytest.param("118030101877A", "118030101877A", False, id="a-letter"),
        pytest.param("", "", False, id="empty"),
    ],
)
def test_a_typed_number_is_normalised_then_checked(typed, number, valid):
    assert normalised(typed) == number
    assert is_valid(normalised(typed)) is valid


@pytest.mark.parametrize(
    ("base", "digit"),
    [
        # 9 − (Σ Pn × Qn mod 9), Pn the n-th digit from the right, Qn 1 (n odd) or 2 (n even).
        pytest.param("180301018771", 1, id="toyota"),
        pytest.param("000012050002", 7, id="nta"),
        pytest.param("000000000001", 8, id="1x1=1"),
        pytest.param("000000000010", 7, id="1x2=2"),
        pytest.param("000000000000", 9, id="sum-0"),
        pytest.param("000000000009", 9, id="sum-9-also-9-never-0"),
    ],
)
def test_check_digit(base, digit):
    assert check_digit(base) == digit


def test_the_first_digit_is_never_valid_as_a_full_width_digit_without_normalising():
    assert not is_valid("１１８０３０１０１８７７１")
