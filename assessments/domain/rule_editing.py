"""What the rule editor of the administrators' area (issue 18) needs of the decision table.

Pure, like `classification`, whose attributes, operators and rules it reuses:
- the fields a condition can look at, each of a kind (a choice, yes/no, a number) that decides
  its operators and how its value is picked, with their labels in the reader's language;
- a condition as the pickers post it (field, operator, values), checked and turned into the
  table's own `Condition`, and back (`editable`) to fill the pickers;
- the table checked as a whole (SPEC 4.4): the inputs no rule decides and the rules that can
  never fire, worked out over boxes of inputs (a set of values per attribute) rather than one
  combination at a time, so that it runs after every change: the default table has over a
  million combinations, and `classification.coverage` tries each."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, NamedTuple, cast

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.domain import choices, columns
from assessments.domain import classification as cl
from assessments.domain.columns import COLUMNS_BY_KEY
from outsourcing_advisor.common.wording import plain_number

FieldKind = Literal["choice", "yes_no", "number"]

# What each kind of field may be compared with. A choice is picked as a set of values ("is one
# of" / "is none of"; one value is stored as eq / ne, as the published tables hold it), yes/no
# as one of the two, a number against one number.
OPERATORS_BY_KIND: dict[FieldKind, tuple[str, ...]] = {
    "choice": ("in", "not_in"),
    "yes_no": ("eq", "ne"),
    "number": ("ge", "gt", "le", "lt", "eq", "ne"),
}
OPERATOR_LABELS: dict[FieldKind, dict[str, Promise]] = {
    "choice": {
        "in": pgettext_lazy("rule operator", "is one of"),
        "not_in": pgettext_lazy("rule operator", "is none of"),
    },
    "yes_no": {
        "eq": pgettext_lazy("rule operator", "is"),
        "ne": pgettext_lazy("rule operator", "is not"),
    },
    "number": {
        "ge": pgettext_lazy("rule operator", "at least (≥)"),
        "gt": pgettext_lazy("rule operator", "more than (>)"),
        "le": pgettext_lazy("rule operator", "at most (≤)"),
        "lt": pgettext_lazy("rule operator", "less than (<)"),
        "eq": pgettext_lazy("rule operator", "equal to (=)"),
        "ne": pgettext_lazy("rule operator", "not equal to (≠)"),
    },
}


@dataclass(frozen=True)
class Field:
    """An attribute a condition may look at (`classification.ATTRIBUTES`)."""

    name: str
    kind: FieldKind
    values: tuple[str, ...] = ()  # a choice's or yes/no's, in their order
    minimum: Decimal | None = None  # a number's bounds, as the inventory accepts it
    maximum: Decimal | None = None
    whole: bool = False  # whole numbers only (expertise 1–5)

    @property
    def label(self) -> str:
        if self.name == "verdict":
            return str(_("Verdict"))
        return columns.label(self.name)  # as the inventory and its bulk bar name it

    @property
    def operators(self) -> tuple[str, ...]:
        return OPERATORS_BY_KIND[self.kind]

    def operator_label(self, operator: str) -> str:
        return str(OPERATOR_LABELS[self.kind].get(operator, operator))

    def value_label(self, value: str) -> str:
        kind = _choices_of(self.name)
        return choices.label(kind, value) if kind else value


def _choices_of(name: str) -> type[models.TextChoices] | None:
    if name == "verdict":
        return choices.Verdict
    column = COLUMNS_BY_KEY.get(name)
    return column.choices if column else None


def _field(name: str, values: tuple[str, ...] | None) -> Field:
    if values is None:
        column = COLUMNS_BY_KEY.get(name)
        return Field(
            name,
            "number",
            minimum=column.minimum if column else None,
            maximum=column.maximum if column else None,
            whole=column is not None and column.kind == "int",
        )
    if set(values) == {"yes", "no"}:
        return Field(name, "yes_no", values)
    return Field(name, "choice", values)


FIELDS: dict[str, Field] = {name: _field(name, values) for name, values in cl.ATTRIBUTES.items()}


# --- a condition as the pickers post it ---------------------------------------------------


@dataclass(frozen=True)
class Posted:
    """One condition as the pickers hold it: a field, an operator and the values picked (the
    numbers as typed)."""

    field: str = ""
    operator: str = ""
    values: tuple[str, ...] = ()


class Problem(NamedTuple):
    """Why a posted condition is refused: a code and what it is about (a value, an operator)."""

    code: str  # no_field, unknown_field, operator_not_valid, no_value, several_values,
    # unknown_value, not_a_number, not_whole, out_of_range
    detail: str = ""


def read_condition(posted: Posted) -> cl.Condition | Problem:
    """The table's condition for what the pickers posted, or why it cannot be one."""
    if not posted.field:
        return Problem("no_field")
    field = FIELDS.get(posted.field)
    if field is None:
        return Problem("unknown_field", posted.field)
    if posted.operator not in field.operators:
        return Problem("operator_not_valid", posted.operator)
    picked = [v.strip() for v in posted.values if v.strip()]
    if not picked:
        return Problem("no_value")
    if field.kind == "number":
        return _number_condition(field, posted.operator, picked)
    unknown = [v for v in picked if v not in field.values]
    if unknown:
        return Problem("unknown_value", unknown[0])
    values = tuple(v for v in field.values if v in picked)  # the field's order, once each
    if field.kind == "yes_no":
        if len(values) > 1:
            return Problem("several_values")
        return cl.Condition(field.name, cast(cl.Operator, posted.operator), values[0])
    if len(values) == 1:  # one value: stored as the published tables hold it
        operator = "eq" if posted.operator == "in" else "ne"
        return cl.Condition(field.name, cast(cl.Operator, operator), values[0])
    return cl.Condition(field.name, cast(cl.Operator, posted.operator), values)


def _number_condition(field: Field, operator: str, picked: list[str]) -> cl.Condition | Problem:
    if len(picked) > 1:
        return Problem("several_values")
    typed = unicodedata.normalize("NFKC", picked[0]).replace(",", "").strip()
    try:
        number = Decimal(typed)
    except InvalidOperation:
        return Problem("not_a_number", picked[0])
    if not number.is_finite():
        return Problem("not_a_number", picked[0])
    if field.whole and number != number.to_integral_value():
        return Problem("not_whole", picked[0])
    if (field.minimum is not None and number < field.minimum) or (
        field.maximum is not None and number > field.maximum
    ):
        return Problem("out_of_range", picked[0])
    return cl.Condition(field.name, cast(cl.Operator, operator), number.normalize() + 0)


def editable(condition: cl.Condition) -> Posted:
    """The pickers' state for a stored condition: eq / ne on a choice become "is one of" /
    "is none of" with one value ticked; numbers as people write them."""
    raw = condition.value
    values = tuple(_text(v) for v in (raw if isinstance(raw, tuple | list) else (raw,)))
    operator = str(condition.operator)
    field = FIELDS.get(condition.attribute)
    if field is not None and field.kind == "choice":
        operator = {"eq": "in", "ne": "not_in"}.get(operator, operator)
    elif field is not None and field.kind == "yes_no" and len(values) == 1:
        operator = {"in": "eq", "not_in": "ne"}.get(operator, operator)
    return Posted(condition.attribute, operator, values)


def _text(value: Any) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return plain_number(Decimal(str(value)))
    return str(value)


def condition_json(condition: cl.Condition) -> list[Any]:
    """[attribute, operator, value] as a rule stores it: a list for several values, a number as
    an int when whole (else a float, read back exactly by `conditions_from_json`)."""
    raw = condition.value
    if isinstance(raw, tuple | list):
        return [condition.attribute, condition.operator, [_json_value(v) for v in raw]]
    return [condition.attribute, condition.operator, _json_value(raw)]


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- the table as a whole -----------------------------------------------------------------

Box = tuple[frozenset[int], ...]  # per attribute (in the check's order), the indexes of its pieces


@dataclass(frozen=True)
class Piece:
    """One value of an attribute, or for a number a stretch over which no condition of the
    table changes its mind: `value` stands for it, `low`/`high` bound it (None: open-ended)."""

    value: Any
    low: Decimal | None = None
    low_closed: bool = True
    high: Decimal | None = None
    high_closed: bool = True


@dataclass(frozen=True)
class NeverFires:
    code: str
    # The earlier rules that decide every input it would (empty: its own conditions can never
    # all hold together).
    taken_by: tuple[str, ...]


@dataclass(frozen=True)
class DeadAlternative:
    """A group of conditions of a rule that does fire, which itself never can."""

    code: str
    index: int  # 0-based
    taken_by: tuple[str, ...]


@dataclass(frozen=True)
class TableCheck:
    problems: tuple[str, ...]  # `classification.validate_rules`'s (no catch-all, …)
    checked: bool  # False: the rules cannot be evaluated until the problems are fixed
    gaps: tuple[tuple[cl.Condition, ...], ...] = ()  # the first inputs no rule decides
    gap_count: int = 0
    never_fire: tuple[NeverFires, ...] = ()
    dead_alternatives: tuple[DeadAlternative, ...] = ()


def check_table(table: cl.RuleTable, *, shown_gaps: int = 8) -> TableCheck:
    """Every input (each attribute's values, numbers in the stretches the rules cut them into)
    is given to the rules in order; what no rule decides is a gap, a rule that decides nothing
    never fires. Facts are taken as known, as `classification.coverage` takes them."""
    problems = tuple(cl.validate_rules(table))
    if any(problem != "no_catch_all" for problem in problems):
        return TableCheck(problems, checked=False)
    # In the order the rules first look at them: a gap reads as a walk down the table.
    attributes = list(
        dict.fromkeys(["verdict", *(c.attribute for r in table.rules for g in r.any_of for c in g)])
    )
    pieces = [_pieces(attribute, table.rules) for attribute in attributes]
    full: Box = tuple(frozenset(range(len(p))) for p in pieces)
    remaining: list[Box] = [full]
    decided: dict[str, list[Box]] = {}  # by rule: the inputs it decides
    own: dict[str, list[Box | None]] = {}  # by rule: the inputs its conditions hold for
    never: list[NeverFires] = []
    dead: list[DeadAlternative] = []
    for rule in table.rules:
        boxes = _rule_boxes(rule, attributes, pieces, full)
        taken_per_group = [[x for r in remaining if (x := _intersect(r, b))] for b in boxes]
        if not any(taken_per_group):
            never.append(NeverFires(rule.code, _takers(decided, own, boxes)))
        else:
            for index, (box, taken) in enumerate(zip(boxes, taken_per_group, strict=True)):
                if not taken and len(boxes) > 1:
                    dead.append(DeadAlternative(rule.code, index, _takers(decided, own, [box])))
        decided[rule.code] = [x for taken in taken_per_group for x in taken]
        own[rule.code] = boxes
        for box in boxes:
            if box is not None:
                remaining = [rest for r in remaining for rest in _subtract(r, box)]
        remaining = _merged(remaining)
    described = [
        _describe(box, attributes, pieces) for gap in remaining for box in _runs(gap, pieces)
    ]
    return TableCheck(
        problems,
        checked=True,
        gaps=tuple(described[:shown_gaps]),
        gap_count=len(described),
        never_fire=tuple(never),
        dead_alternatives=tuple(dead),
    )


def _rule_boxes(
    rule: cl.Rule, attributes: list[str], pieces: list[tuple[Piece, ...]], full: Box
) -> list[Box | None]:
    """Each group's inputs (None: a group whose conditions never all hold); a rule without
    conditions takes every input."""
    return [_group_box(g, attributes, pieces, full) for g in rule.any_of] or [full]


def _takers(
    decided: Mapping[str, list[Box]],
    own: Mapping[str, list[Box | None]],
    boxes: Sequence[Box | None],
) -> tuple[str, ...]:
    """The earlier rules that leave nothing of `boxes`: one that holds for all of it by itself
    (the catch-all moved up, "every IT task" above the IT rule) if there is one, else every
    rule that decides some of it (empty when `boxes` holds nothing: contradicting conditions)."""
    wanted = [b for b in boxes if b is not None]
    alone = tuple(code for code, held in own.items() if _covered(wanted, held))
    if alone:
        return alone
    return tuple(
        code
        for code, taken in decided.items()
        if any(_intersect(t, b) for t in taken for b in wanted)
    )


def _covered(boxes: list[Box], by: Sequence[Box | None]) -> bool:
    left = boxes
    for box in by:
        if box is not None:
            left = [rest for r in left for rest in _subtract(r, box)]
    return bool(boxes) and not left


def _pieces(attribute: str, rules: Iterable[cl.Rule]) -> tuple[Piece, ...]:
    field = FIELDS.get(attribute)
    if field is not None and field.kind != "number":
        return tuple(Piece(value) for value in field.values)
    cuts = sorted(
        {
            Decimal(str(v))
            for rule in rules
            for group in rule.any_of
            for c in group
            if c.attribute == attribute
            for v in (c.value if isinstance(c.value, tuple | list) else (c.value,))
        }
    )
    low = field.minimum if field else None
    high = field.maximum if field else None
    if field is not None and field.whole and low is not None and high is not None:
        return tuple(
            Piece(Decimal(n), Decimal(n), True, Decimal(n), True) for n in _span(low, high)
        )
    return _stretches([c for c in cuts if (low is None or c >= low)], low)


def _span(low: Decimal, high: Decimal) -> range:
    return range(int(low), int(high) + 1)


def _stretches(cuts: list[Decimal], low: Decimal | None) -> tuple[Piece, ...]:
    """The number line from `low` (or minus infinity) cut at each value: [low, c1), c1,
    (c1, c2), c2, …, (ck, ∞)."""
    found: list[Piece] = []
    start, closed = low, True
    for cut in cuts:
        if start is None or cut > start:
            value = cut - 1 if start is None else (start if closed else (start + cut) / 2)
            found.append(Piece(value, start, closed, cut, False))
        found.append(Piece(cut, cut, True, cut, True))
        start, closed = cut, False
    value = Decimal(0) if start is None else (start if closed else start + 1)
    found.append(Piece(value, start, closed, None, False))
    return tuple(found)


def _group_box(
    group: Sequence[cl.Condition],
    attributes: list[str],
    pieces: list[tuple[Piece, ...]],
    full: Box,
) -> Box | None:
    """The inputs where every condition of the group holds; None if there are none."""
    box = list(full)
    for condition in group:
        at = attributes.index(condition.attribute)
        holds = {
            i
            for i, piece in enumerate(pieces[at])
            if condition.holds({condition.attribute: piece.value})
        }
        box[at] = box[at] & holds
        if not box[at]:
            return None
    return tuple(box)


def _intersect(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return None
    both = tuple(x & y for x, y in zip(a, b, strict=True))
    return both if all(both) else None


def _subtract(a: Box, b: Box) -> list[Box]:
    """`a` without `b`, as boxes that do not overlap."""
    if _intersect(a, b) is None:
        return [a]
    found = []
    rest = list(a)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        outside = x - y
        if outside:
            found.append((*tuple(rest[:i]), outside, *tuple(rest[i + 1 :])))
            rest[i] = x & y
    return found


def _merged(boxes: list[Box]) -> list[Box]:
    """Boxes that differ in one attribute only, joined: fewer, larger boxes to describe."""
    boxes = list(dict.fromkeys(boxes))
    joined = True
    while joined:
        joined = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                differ = [
                    k for k, (x, y) in enumerate(zip(boxes[i], boxes[j], strict=True)) if x != y
                ]
                if len(differ) == 1:
                    k = differ[0]
                    union = boxes[i][k] | boxes[j][k]
                    boxes[i] = (*boxes[i][:k], union, *boxes[i][k + 1 :])
                    del boxes[j]
                    joined = True
                    break
            if joined:
                break
    return boxes


def _runs(box: Box, pieces: list[tuple[Piece, ...]]) -> list[Box]:
    """The box split so that each number it holds is one unbroken stretch (describable as
    "from … to …")."""
    found: list[Box] = [box]
    for at, attribute_pieces in enumerate(pieces):
        if not _is_number(attribute_pieces):
            continue  # a choice: any set of values is one condition
        split: list[Box] = []
        for b in found:
            for run in _consecutive(sorted(b[at])):
                split.append((*b[:at], frozenset(run), *b[at + 1 :]))
        found = split
    return found


def _consecutive(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _describe(
    box: Box, attributes: list[str], pieces: list[tuple[Piece, ...]]
) -> tuple[cl.Condition, ...]:
    """The conditions that describe a box, only for the attributes it narrows."""
    found: list[cl.Condition] = []
    for attribute, held, attribute_pieces in zip(attributes, box, pieces, strict=True):
        if len(held) == len(attribute_pieces):
            continue
        if not _is_number(attribute_pieces):
            found.append(_choice_condition(attribute, held, attribute_pieces))
        else:
            found += _number_conditions(attribute, sorted(held), attribute_pieces)
    return tuple(found)


def _choice_condition(
    attribute: str, held: frozenset[int], pieces: tuple[Piece, ...]
) -> cl.Condition:
    values = tuple(p.value for i, p in enumerate(pieces) if i in held)
    others = tuple(p.value for i, p in enumerate(pieces) if i not in held)
    if len(values) == 1:
        return cl.Condition(attribute, "eq", values[0])
    if len(others) == 1 and len(values) > 2:
        return cl.Condition(attribute, "ne", others[0])
    if len(others) < len(values) and len(values) > 3:
        return cl.Condition(attribute, "not_in", others)
    return cl.Condition(attribute, "in", values)


def _number_conditions(
    attribute: str, held: list[int], pieces: tuple[Piece, ...]
) -> list[cl.Condition]:
    """A stretch of numbers: from its start (unless it starts at the bottom of the scale) to its
    end (unless it runs to the top); a single number as such."""
    first, last = pieces[held[0]], pieces[held[-1]]
    if first.low is not None and first.low == last.high and first.low_closed and last.high_closed:
        return [cl.Condition(attribute, "eq", first.low)]
    found = []
    if held[0] != 0 and first.low is not None:
        found.append(cl.Condition(attribute, "ge" if first.low_closed else "gt", first.low))
    if held[-1] != len(pieces) - 1 and last.high is not None:
        found.append(cl.Condition(attribute, "le" if last.high_closed else "lt", last.high))
    return found


def _is_number(pieces: tuple[Piece, ...]) -> bool:
    return any(p.low is not None or p.high is not None for p in pieces)
