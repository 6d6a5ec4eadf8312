"""The core/non-core check and the sourcing-model recommendation (SPEC 4.3, 4.4).

Pure, typed functions over plain data: a task's attributes, its answers, a criteria version and a
rule-table version. No database, no request. The rules are data read by one small evaluator
(`first_match`); the defaults of the specification live in `assessments/domain/defaults.py`."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

Answer = Literal["yes", "partly", "no", "unknown"]
Direction = Literal["keep", "outsource", "caution"]
Verdict = Literal["core", "non_core", "borderline", "incomplete"]
# How a checklist version turns answers into the suitability (SPEC 4.3):
# - "answered": Σ over the answered items / their weight, as published first. A mean: adding an
#   answer that moves nothing ("no" to a keep item) still moves the score towards 50, so
#   answering in the outsourcing direction could lower it (issue 18).
# - "all": the same points over the weight of every scoring item; an item not answered (or
#   "don't know") adds no points, as "no" does. Each answer's points no longer depend on the
#   others: an answer towards outsourcing never lowers the score, towards keeping never raises
#   it. A task with every item answered scores exactly as under "answered".
Scoring = Literal["answered", "all"]
SCORINGS: tuple[str, ...] = ("answered", "all")

ANSWERS: tuple[str, ...] = ("yes", "partly", "no", "unknown")
ANSWER_VALUE = {"yes": Decimal(1), "partly": Decimal("0.5"), "no": Decimal(0)}
DIRECTION_SIGN = {"outsource": 1, "keep": -1, "caution": 0}
MODELS: tuple[str, ...] = (
    "bpo",
    "ito",
    "kpo",
    "dispatch",
    "crowdsourcing",
    "subcontract",
    "in_house",
)
OUTSOURCED = frozenset(MODELS) - {"in_house", "dispatch"}
SENSITIVE_DATA = frozenset({"confidential", "personal"})
# The inventory attributes the check (pre-fill), the rules and the warnings look at.
TASK_ATTRIBUTES: tuple[str, ...] = (
    "category",
    "continuity",
    "confidentiality",
    "deliverable_clear",
    "direct_instruction",
    "judgment",
    "requirement_changes",
    "tacit_knowledge",
    "standardizable",
    "seasonality",
    "expertise",
    "people_able",
    "licensed_work",
    "on_site",
)


class DefinitionError(ValueError):
    """A criteria or rule definition that cannot be evaluated; the message says why."""


# --- the check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    direction: Direction
    weight: Decimal


@dataclass(frozen=True)
class Thresholds:
    non_core_at: Decimal = Decimal(60)  # suitability at or above: non-core
    core_at: Decimal = Decimal(40)  # at or below: core
    max_unknown: int = 2  # more "don't know" than this: incomplete
    costly_core_yen: Decimal = Decimal(5_000_000)  # a core task costing this much gets a warning


@dataclass(frozen=True)
class CriteriaVersion:
    criteria: tuple[Criterion, ...]
    thresholds: Thresholds = Thresholds()
    core_pair: tuple[str, str] = ("C1", "C2")  # both "yes": core whatever the score
    scoring: Scoring = "answered"

    # What `check` needs of the criteria, worked out once per version rather than once per task
    # (10,000 tasks × ten criteria add up). The version is frozen, so none of it can go stale.

    @cached_property
    def _total_weights(self) -> _TotalWeights:
        return _TotalWeights([c for c in self.criteria if c.direction != "caution"])

    @cached_property
    def _scoring(self) -> tuple[tuple[int, str, _Contributions], ...]:
        """Each scoring criterion's bit in a mask of the answered ones, code and contributions."""
        totals = self._total_weights
        return tuple(
            (1 << index, c.code, _Contributions(c, totals))
            for index, c in enumerate(totals.scoring)
        )

    @cached_property
    def _every_scoring_item(self) -> int:
        """The mask of every scoring criterion: the weight "all" divides by."""
        return (1 << len(self._total_weights.scoring)) - 1

    @cached_property
    def _codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria)

    @cached_property
    def _caution_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria if c.direction == "caution")


@dataclass(frozen=True)
class Contribution:
    code: str
    answer: str
    points: Decimal  # how far this answer moved the score from 50


class _TotalWeights(dict[int, Decimal]):
    """The total weight of the answered scoring criteria, by the mask of which are answered:
    summed on first use in the same order as ever, so the very same Decimal."""

    def __init__(self, scoring: list[Criterion]) -> None:
        super().__init__()
        self.scoring = scoring

    def __missing__(self, mask: int) -> Decimal:
        answered = (c for index, c in enumerate(self.scoring) if mask >> index & 1)
        total = self[mask] = sum((c.weight for c in answered), Decimal(0))
        return total


class _Contributions(dict[tuple[str, int], Contribution]):
    """One scoring criterion's contribution by (answer, mask of the answered criteria): all it
    depends on, the mask fixing the total weight. Computed on first use exactly as `check`
    always did (same operations in the same order, same error for an unknown direction), then
    shared by every task answering alike: a Contribution is frozen. It holds at most one entry
    per answer pattern met, and lives as long as its version."""

    def __init__(self, criterion: Criterion, totals: _TotalWeights) -> None:
        super().__init__()
        self.criterion, self.totals = criterion, totals

    def __missing__(self, key: tuple[str, int]) -> Contribution:
        (answer, mask), c = key, self.criterion
        total_weight = self.totals[mask]
        points = (
            Decimal(50)
            * DIRECTION_SIGN[c.direction]
            * c.weight
            * ANSWER_VALUE[answer]
            / total_weight
            if total_weight
            else Decimal(0)
        )
        contribution = self[key] = Contribution(c.code, answer, points)
        return contribution


@dataclass(frozen=True)
class CheckResult:
    suitability: Decimal | None
    verdict: Verdict
    contributions: tuple[Contribution, ...]
    missing: tuple[str, ...]  # criteria not answered or "don't know"
    cautions: tuple[str, ...]  # caution criteria answered yes or partly


def validate_criteria(version: CriteriaVersion) -> list[str]:
    """Every reason the version cannot be published; empty when it can."""
    problems = []
    codes = [c.code for c in version.criteria]
    if len(set(codes)) != len(codes):
        problems.append("duplicate_code")
    for criterion in version.criteria:
        if criterion.direction not in DIRECTION_SIGN:
            problems.append(f"unknown_direction:{criterion.code}")
        if criterion.weight < 0:
            problems.append(f"negative_weight:{criterion.code}")
    if not any(c.weight > 0 and c.direction != "caution" for c in version.criteria):
        problems.append("no_scoring_criterion")
    t = version.thresholds
    if not (Decimal(0) <= t.core_at < t.non_core_at <= Decimal(100)):
        problems.append("thresholds_overlap")
    if t.max_unknown < 0:
        problems.append("negative_max_unknown")
    if version.scoring not in SCORINGS:
        problems.append("unknown_scoring")
    return problems


def check(answers: Mapping[str, str], version: CriteriaVersion) -> CheckResult:
    """Suitability 0 (clearly core) … 100 (clearly non-core), the verdict, and why."""
    answers = {code: answer for code, answer in answers.items() if answer not in (None, "")}
    for code, answer in answers.items():
        if answer not in ANSWERS:
            raise DefinitionError(f"answer {answer!r} to {code} is not one of {ANSWERS}")
    # Which scoring criteria are answered, as a bit mask; then each contribution is looked up
    # in the version's tables (see CriteriaVersion._scoring) rather than worked out again.
    mask = 0
    answered: list[tuple[_Contributions, str]] = []
    for bit, code, contributions_of in version._scoring:
        given = answers.get(code)
        if given in ANSWER_VALUE:
            mask |= bit
            answered.append((contributions_of, given))
    # "all" divides by the weight of every scoring item, whichever are answered.
    over = version._every_scoring_item if version.scoring == "all" and mask else mask
    contributions = tuple([contributions_of[given, over] for contributions_of, given in answered])
    total_weight = version._total_weights[over]
    suitability = Decimal(50) + sum((x.points for x in contributions), Decimal(0))
    missing = tuple([code for code in version._codes if answers.get(code, "unknown") == "unknown"])
    cautions = tuple(
        [code for code in version._caution_codes if answers.get(code) in ("yes", "partly")]
    )
    verdict = _verdict(answers, version, suitability, missing, bool(total_weight))
    return CheckResult(
        suitability if total_weight else None, verdict, contributions, missing, cautions
    )


def _verdict(
    answers: Mapping[str, str],
    version: CriteriaVersion,
    suitability: Decimal,
    missing: tuple[str, ...],
    scored: bool,
) -> Verdict:
    first, second = version.core_pair
    if answers.get(first) == "yes" and answers.get(second) == "yes":
        return "core"  # known to be core, whatever else is unanswered
    if len(missing) > version.thresholds.max_unknown or not scored:
        return "incomplete"
    if suitability >= version.thresholds.non_core_at:
        return "non_core"
    if suitability <= version.thresholds.core_at:
        return "core"
    return "borderline"


def shown_suitability(verdict: str, suitability: Decimal | None) -> Decimal | None:
    """The suitability a reader is shown: none while the task is incomplete. Its score then
    stands on too few answers to mean anything, and would move as the missing ones come in;
    the page names the missing questions instead. (The stored figure stays, for the results
    CSV of SPEC 6.2.)"""
    return None if verdict == "incomplete" else suitability


# --- pre-filling answers from the inventory --------------------------------------------------


def prefill(attributes: Mapping[str, Any]) -> dict[str, str]:
    """Answers that follow from the inventory (SPEC 4.3): C3, C4, C6, C8, C9. Only where the
    attribute is known; the user confirms or changes them."""
    answers: dict[str, str] = {}
    standardizable = attributes.get("standardizable")
    if standardizable in ("yes", "partly", "no"):
        answers["C3"] = standardizable
    expertise = attributes.get("expertise")
    if expertise is not None:
        answers["C4"] = "yes" if expertise >= 4 else "no"
    confidentiality = attributes.get("confidentiality")
    if confidentiality:
        answers["C6"] = "yes" if confidentiality in SENSITIVE_DATA else "no"
    seasonality = attributes.get("seasonality")
    if seasonality:
        answers["C8"] = {"high": "yes", "medium": "partly"}.get(seasonality, "no")
    people_able = attributes.get("people_able")
    if people_able is not None:
        answers["C9"] = "yes" if people_able <= 1 else "no"
    return answers


def merge_answers(
    given: Mapping[str, str],
    sources: Mapping[str, str],
    prefilled: Mapping[str, str],
    submitted: Mapping[str, str],
    *,
    source: str = "user",
) -> tuple[dict[str, str], dict[str, str]]:
    """The answers a task keeps after a person submitted `submitted` (code -> answer, "" for none),
    and where each came from. An answer equal to its pre-fill stays pre-filled, so it keeps
    following the inventory; an unchanged answer keeps its source (a file's stays "file")."""
    answers, origins = dict(given), dict(sources)
    for code, value in submitted.items():
        if value not in ("", *ANSWERS):
            raise DefinitionError(f"answer {value!r} to {code} is not one of {ANSWERS}")
        if value == answers.get(code, ""):
            continue
        if value == "" or (code not in answers and value == prefilled.get(code)):
            answers.pop(code, None)
            origins.pop(code, None)
        else:
            answers[code] = value
            origins[code] = source
    return answers, origins


def answer_origins(
    given: Mapping[str, str], sources: Mapping[str, str], prefilled: Mapping[str, str]
) -> dict[str, str]:
    """Where each effective answer comes from: "file", "user" or "prefill"."""
    origins = dict.fromkeys(prefilled, "prefill")
    origins.update({code: sources.get(code, "user") for code in given})
    return origins


# --- the decision table ----------------------------------------------------------------------

Operator = Literal["eq", "ne", "in", "not_in", "lt", "le", "gt", "ge"]
OPERATORS: tuple[str, ...] = ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge")

# What a rule may look at, and the values it may compare with (None: a number).
ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "verdict": ("core", "non_core", "borderline"),
    "category": (
        "hr",
        "accounting",
        "general_affairs",
        "customer_support",
        "data_entry",
        "it",
        "analysis",
        "legal_expert",
        "creative",
        "sales_marketing",
        "planning",
        "other",
    ),
    "continuity": ("ongoing", "one_off"),
    "confidentiality": ("public", "internal", "confidential", "personal"),
    "deliverable_clear": ("yes", "no"),
    "direct_instruction": ("yes", "no"),
    "judgment": ("low", "medium", "high"),
    "requirement_changes": ("low", "medium", "high"),
    "tacit_knowledge": ("low", "medium", "high"),
    "standardizable": ("yes", "partly", "no"),
    "seasonality": ("low", "medium", "high"),
    "licensed_work": ("sharoushi", "zeirishi", "bengoshi", "shiho_shoshi", "gyosei_shoshi"),
    "on_site": ("yes", "no"),
    "expertise": None,
    "annual_hours": None,
}


@dataclass(frozen=True)
class Condition:
    attribute: str
    operator: Operator
    value: Any  # a value, or a tuple of values for in / not_in

    def holds(self, facts: Mapping[str, Any]) -> bool | None:
        """True or False, or None when the fact is missing (the rule cannot decide)."""
        fact = facts.get(self.attribute)
        if fact is None or fact == "":
            return None
        compare = _COMPARISONS.get(self.operator)
        if compare is None:
            raise DefinitionError(f"unknown operator {self.operator!r}")
        return bool(compare(fact, self.value))


def _in(fact: Any, values: Any) -> bool:
    return fact in values


def _not_in(fact: Any, values: Any) -> bool:
    return fact not in values


# A dictionary rather than a `match`: 10,000 tasks × a dozen conditions each add up. Functions
# rather than lambdas: a rule keeps them (Rule._groups), and must still pickle.
_COMPARISONS: dict[str, Any] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "in": _in,
    "not_in": _not_in,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


@dataclass(frozen=True)
class Rule:
    """If any group of conditions holds (each group: all its conditions), the outcome applies."""

    code: str
    outcome: str
    any_of: tuple[tuple[Condition, ...], ...]  # () matches every task: a catch-all

    def decide(self, facts: Mapping[str, Any]) -> tuple[bool, set[str]]:
        """Whether the rule fires, and the attributes it needed but did not have."""
        missing: set[str] = set()
        return self._fires(facts, missing), missing

    def matched(self, facts: Mapping[str, Any]) -> tuple[str, ...]:
        """The attributes of the groups that hold, in the rule's order: which of a rule's
        alternatives decided (the unsuited rule names the factor rated high). Empty for a rule
        with a single group or none, where the rule's own text says it all."""
        if len(self.any_of) < 2:
            return ()
        attributes: dict[str, None] = {}
        for group in self.any_of:
            if all(condition.holds(facts) for condition in group):
                attributes.update(dict.fromkeys(c.attribute for c in group))
        return tuple(attributes)

    def _fires(self, facts: Mapping[str, Any], missing: set[str]) -> bool:
        """Whether the rule fires; when it does not, the attributes it needed but did not have
        are added to `missing`. Filling the caller's set spares `first_match` a tuple and a set
        per rule and task, and Condition.holds is inlined: 10,000 tasks × a dozen conditions."""
        if not self.any_of:
            return True
        needed: list[str] = []
        for group in self._groups:
            known = len(needed)
            for attribute, compare, value, name in group:
                fact = facts.get(attribute)
                if fact is None or fact == "":
                    needed.append(attribute)
                    continue
                if compare is None:
                    raise DefinitionError(f"unknown operator {name!r}")
                if not compare(fact, value):  # a known fact settles the group
                    del needed[known:]
                    break
            else:
                if len(needed) == known:
                    return True
        missing.update(needed)
        return False

    @cached_property
    def _groups(self) -> tuple[tuple[tuple[str, Any, Any, str], ...], ...]:
        """Each condition as (attribute, comparison, value, operator), looked up once; the rule
        is frozen, so this cannot go stale."""
        return tuple(
            tuple((c.attribute, _COMPARISONS.get(c.operator), c.value, c.operator) for c in group)
            for group in self.any_of
        )


@dataclass(frozen=True)
class RuleTable:
    rules: tuple[Rule, ...]


def validate_rules(table: RuleTable) -> list[str]:
    """Every reason the table cannot be published; empty when it can."""
    problems = []
    codes = [r.code for r in table.rules]
    if len(set(codes)) != len(codes):
        problems.append("duplicate_code")
    for rule in table.rules:
        if rule.outcome not in MODELS:
            problems.append(f"unknown_outcome:{rule.code}")
        for condition in itertools.chain.from_iterable(rule.any_of):
            problems += _condition_problems(rule.code, condition)
    if not table.rules or table.rules[-1].any_of:
        problems.append("no_catch_all")  # some task would get no model
    return problems


def _condition_problems(code: str, condition: Condition) -> list[str]:
    if condition.attribute not in ATTRIBUTES:
        return [f"unknown_attribute:{code}:{condition.attribute}"]
    if condition.operator not in OPERATORS:
        return [f"unknown_operator:{code}:{condition.operator}"]
    domain = ATTRIBUTES[condition.attribute]
    values = condition.value if condition.operator in ("in", "not_in") else (condition.value,)
    if domain is None:
        if condition.operator in ("in", "not_in") or not all(
            isinstance(v, int | Decimal) for v in values
        ):
            return [f"not_a_number:{code}:{condition.attribute}"]
        return []
    if condition.operator in ("lt", "le", "gt", "ge"):
        return [f"ordering_on_enumeration:{code}:{condition.attribute}"]
    if condition.operator in ("in", "not_in") and not isinstance(condition.value, tuple):
        return [f"needs_a_list:{code}:{condition.attribute}"]  # a text would be read by letter
    unknown = [v for v in values if v not in domain]
    if unknown:
        return [f"unknown_value:{code}:{condition.attribute}:{','.join(map(str, unknown))}"]
    return []


@dataclass(frozen=True)
class Recommendation:
    model: str | None
    runner_up: str | None
    rule: str | None  # the code of the rule that decided
    pilot: bool
    security_required: bool
    unknown_facts: tuple[str, ...]  # attributes rules above the deciding one needed
    matched: tuple[str, ...] = ()  # which alternatives of the deciding rule held (Rule.matched)


# A core task stays in-house and a dispatch task is staffed, not outsourced: for them a runner-up
# would read as a second recommendation to outsource (SPEC 4.4), so they get none.
NO_RUNNER_UP_VERDICTS = frozenset({"core"})
NO_RUNNER_UP_MODELS = frozenset({"dispatch"})


def first_match(facts: Mapping[str, Any], table: RuleTable) -> Recommendation:
    """The first rule that fires decides; the next one with another outcome is the runner-up
    (none for a core task or a dispatch task)."""
    return _first_match(facts, table, sensitive_answer=False)


def attributes_needed(
    attributes: Mapping[str, Any],
    table: RuleTable,
    *,
    annual_hours: Decimal | None = None,
    verdict: str = "non_core",
) -> tuple[str, ...]:
    """The task's attributes (TASK_ATTRIBUTES, in that order) the rules above the deciding one
    need and do not have: left blank, they give the "missing_attributes" warning once the check
    has a verdict. A task not yet checked is taken as non-core (a core one stays in-house
    whatever it is), so the entry forms can ask for them before the warning appears."""
    facts = {**attributes, "verdict": verdict, "annual_hours": annual_hours}
    unknown = first_match(facts, table).unknown_facts
    return tuple(name for name in TASK_ATTRIBUTES if name in unknown)


def _first_match(
    facts: Mapping[str, Any], table: RuleTable, *, sensitive_answer: bool
) -> Recommendation:
    """`first_match`; `sensitive_answer` (C6 answered yes or partly) requires security as the
    attribute does, decided here rather than by copying the recommendation afterwards."""
    model = rule_code = runner_up = None
    matched: tuple[str, ...] = ()
    unknown: set[str] = set()  # what the rules above the deciding one needed
    ignored: set[str] = set()  # what the rules below it needed does not matter
    for rule in table.rules:
        if not rule._fires(facts, unknown if model is None else ignored):
            continue
        if model is None:
            model, rule_code, matched = rule.outcome, rule.code, rule.matched(facts)
            if facts.get("verdict") in NO_RUNNER_UP_VERDICTS or model in NO_RUNNER_UP_MODELS:
                break
        elif rule.outcome != model:
            runner_up = rule.outcome
            break
    return Recommendation(
        model=model,
        runner_up=runner_up,
        rule=rule_code,
        pilot=facts.get("verdict") == "borderline" and model in OUTSOURCED,
        security_required=(facts.get("confidentiality") in SENSITIVE_DATA or sensitive_answer)
        and model in OUTSOURCED,
        unknown_facts=tuple(sorted(unknown)),
        matched=matched,
    )


# --- the whole assessment of one task --------------------------------------------------------


@dataclass(frozen=True)
class Assessed:
    check: CheckResult
    recommendation: Recommendation | None  # None while the verdict is incomplete
    warnings: tuple[str, ...]
    reasons: tuple[str, ...] = field(default=())


def assess_task(
    attributes: Mapping[str, Any],
    answers: Mapping[str, str],
    criteria: CriteriaVersion,
    rules: RuleTable,
    *,
    annual_hours: Decimal | None = None,
    annual_cost: Decimal | None = None,
    override: str | None = None,
) -> Assessed:
    """Check, recommend and warn for one task. Never raises for missing attributes. The
    warnings are about the model that will be used: a consultant's `override` if there is one."""
    result = check(answers, criteria)
    reasons = [f"verdict:{result.verdict}"] + [
        f"answer:{c.code}:{c.answer}" for c in result.contributions if c.points
    ]
    if result.verdict == "incomplete":
        warnings: tuple[str, ...] = ()
        if override:
            warnings = task_warnings(
                attributes, answers, result, override, criteria=criteria, annual_cost=annual_cost
            )
        return Assessed(result, None, warnings, tuple(reasons))
    facts = {**attributes, "verdict": result.verdict, "annual_hours": annual_hours}
    # Answering "much confidential data" counts like the attribute does.
    recommendation = _first_match(facts, rules, sensitive_answer="C6" in result.cautions)
    if recommendation.rule:
        reasons.append(f"rule:{recommendation.rule}")
        reasons += [f"matched:{attribute}" for attribute in recommendation.matched]
    warnings = task_warnings(
        attributes,
        answers,
        result,
        override or recommendation.model,
        annual_cost=annual_cost,
        criteria=criteria,
        unknown_facts=recommendation.unknown_facts,
    )
    return Assessed(result, recommendation, warnings, tuple(reasons))


def task_warnings(
    attributes: Mapping[str, Any],
    answers: Mapping[str, str],
    result: CheckResult,
    model: str | None,
    *,
    criteria: CriteriaVersion,
    annual_cost: Decimal | None = None,
    unknown_facts: Sequence[str] = (),
) -> tuple[str, ...]:
    """Warning codes for a task and the model chosen for it (computed or overridden)."""
    outsourced = model in OUTSOURCED
    dispatched = model == "dispatch"
    continuity = attributes.get("continuity")
    sensitive = attributes.get("confidentiality") in SENSITIVE_DATA or "C6" in result.cautions
    people_able = attributes.get("people_able")
    tacit = attributes.get("tacit_knowledge") in ("medium", "high")
    warnings = [
        ("disguised_contracting", outsourced and attributes.get("direct_instruction") == "yes"),
        ("confidential_data", outsourced and sensitive),
        ("single_person_dependency", people_able is not None and people_able <= 1),
        ("black_box", outsourced and (tacit or answers.get("C5") in ("yes", "partly"))),
        (
            "costly_core",
            result.verdict == "core"
            and annual_cost is not None
            and annual_cost >= criteria.thresholds.costly_core_yen,
        ),
        ("missing_attributes", bool(unknown_facts)),
        # Only a vendor holding the registration may do licensed work for the client.
        ("licensed_work", outsourced and bool(attributes.get("licensed_work"))),
        # Outsourced work done on the client's premises: where 偽装請負 usually starts.
        ("on_site", outsourced and attributes.get("on_site") == "yes"),
        # Dispatch: the three-year limit for ongoing work, the 日雇派遣 ban for one-off work.
        ("dispatch_term_limit", dispatched and continuity == "ongoing"),
        ("day_labour_ban", dispatched and continuity == "one_off"),
    ]
    return tuple(code for code, applies in warnings if applies)


# --- what an administrator sees of a rule table ----------------------------------------------


@dataclass(frozen=True)
class Coverage:
    uncovered: tuple[dict[str, Any], ...]  # input combinations no rule decides (first few)
    uncovered_count: int
    never_fire: tuple[str, ...]  # rules that never decide: shadowed by earlier ones


def coverage(table: RuleTable, *, limit: int = 20) -> Coverage:
    """Try every combination of the values the rules look at; numbers at their thresholds."""
    attributes = sorted(
        {c.attribute for r in table.rules for g in r.any_of for c in g} | {"verdict"}
    )
    domains = [_domain(attribute, table) for attribute in attributes]
    uncovered: list[dict[str, Any]] = []
    count = 0
    deciding: set[str] = set()
    for values in itertools.product(*domains):
        facts = dict(zip(attributes, values, strict=True))
        rule = next((r for r in table.rules if r.decide(facts)[0]), None)
        if rule is None:
            count += 1
            if len(uncovered) < limit:
                uncovered.append(facts)
        else:
            deciding.add(rule.code)
    never = tuple(r.code for r in table.rules if r.code not in deciding)
    return Coverage(tuple(uncovered), count, never)


def _domain(attribute: str, table: RuleTable) -> tuple[Any, ...]:
    known = ATTRIBUTES.get(attribute)
    if known is not None:
        return known
    cuts: set[Decimal] = set()
    for condition in _conditions_on(attribute, table.rules):
        for value in condition.value if isinstance(condition.value, tuple) else (condition.value,):
            number = Decimal(value)
            cuts |= {number - 1, number, number + 1}
    return tuple(sorted(cuts)) or (Decimal(0),)


def _conditions_on(attribute: str, rules: Iterable[Rule]) -> Iterable[Condition]:
    for rule in rules:
        for group in rule.any_of:
            yield from (c for c in group if c.attribute == attribute)
