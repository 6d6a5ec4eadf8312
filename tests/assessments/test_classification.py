"""Table tests of the core/non-core check and the sourcing-model recommendation (SPEC 4.3, 4.4).

Pure functions, no database: the defaults of `assessments/domain/defaults.py` must reproduce the
specification case by case."""

from dataclasses import replace
from decimal import Decimal

import pytest

from assessments.domain.classification import (
    Condition,
    CriteriaVersion,
    Criterion,
    DefinitionError,
    Rule,
    RuleTable,
    Thresholds,
    assess_task,
    check,
    coverage,
    first_match,
    prefill,
    task_warnings,
    validate_criteria,
    validate_rules,
)
from assessments.domain.defaults import CRITERIA, RULES

D = Decimal
TEN_PLACES = D("0.0000000001")

OUTSOURCE_ITEMS = ("C3", "C4", "C8", "C9", "C10")
KEEP_ITEMS = ("C1", "C2", "C5", "C7")


def answers(default: str | None = None, **given: str) -> dict[str, str]:
    """Answers to C1…C10: `default` for every item not given (None: left unanswered)."""
    codes = [f"C{n}" for n in range(1, 11)]
    base = {code: default for code in codes} if default else {}
    return {**base, **given}


def scored(outsource: str, keep: str, **given: str) -> dict[str, str]:
    """Every outsource item answered `outsource`, every keep item `keep`, C6 "no"."""
    base = {code: outsource for code in OUTSOURCE_ITEMS}
    base |= {code: keep for code in KEEP_ITEMS}
    return {**base, "C6": "no", **given}


def two_items(outsource_weight: int, keep_weight: int) -> CriteriaVersion:
    """An outsource item "O" and a keep item "K" with the default thresholds."""
    return CriteriaVersion(
        criteria=(
            Criterion("O", "outsource", D(outsource_weight)),
            Criterion("K", "keep", D(keep_weight)),
        ),
        thresholds=CRITERIA.thresholds,
    )


def reweighted(**weights: int) -> CriteriaVersion:
    """The default criteria with some weights changed."""
    return replace(
        CRITERIA,
        criteria=tuple(
            replace(c, weight=D(weights[c.code])) if c.code in weights else c
            for c in CRITERIA.criteria
        ),
    )


ONGOING_HOURS = D(500)

# A task that reaches the catch-all: continuous, plain back-office work, nothing unsuited.
BASE = {
    "category": "accounting",
    "continuity": "ongoing",
    "confidentiality": "internal",
    "deliverable_clear": "yes",
    "direct_instruction": "no",
    "judgment": "low",
    "requirement_changes": "low",
    "tacit_knowledge": "low",
    "standardizable": "yes",
    "seasonality": "low",
    "expertise": 2,
    "people_able": 3,
}


def facts(verdict: str = "non_core", annual_hours: D = ONGOING_HOURS, **changes) -> dict:
    return {**BASE, "verdict": verdict, "annual_hours": annual_hours, **changes}


# Answers that give each verdict with the default criteria (C6 "no", nothing missing).
NON_CORE = scored("yes", "no")  # 77.78
CORE = scored("no", "yes", C2="no")  # 50 - 50 * 3/9 = 33.33
BORDERLINE = scored("no", "no", C3="yes")  # 50 + 50/9 = 55.56


# --- the score -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "version", "suitability", "verdict"),
    [
        pytest.param(
            scored("yes", "no"),
            CRITERIA,
            D("77.7777777778"),  # 50 + 50 * 5/9
            "non_core",
            id="all-outsource-yes-keep-no-nine-answered",
        ),
        pytest.param(
            scored("no", "yes", C2="no"),
            CRITERIA,
            D("33.3333333333"),  # 50 - 50 * 3/9
            "core",
            id="all-outsource-no-three-keep-yes",
        ),
        pytest.param(
            {code: "yes" for code in OUTSOURCE_ITEMS},
            CRITERIA,
            D(100),  # only outsource items answered: 50 + 50 * 5/5
            "incomplete",  # C1, C2, C5, C6, C7 missing
            id="only-outsource-items-answered-all-yes",
        ),
        pytest.param(
            {code: "yes" for code in KEEP_ITEMS},
            CRITERIA,
            D(0),  # only keep items answered: 50 - 50 * 4/4
            "core",  # C1 and C2 both yes
            id="only-keep-items-answered-all-yes",
        ),
        pytest.param(
            scored("yes", "no", C7="unknown"),
            CRITERIA,
            D("81.25"),  # 50 + 50 * 5/8
            "non_core",
            id="eight-answered-five-outsource-yes",
        ),
        pytest.param(
            scored("no", "yes", C2="no", C10="unknown"),
            CRITERIA,
            D("31.25"),  # 50 - 50 * 3/8
            "core",
            id="eight-answered-three-keep-yes",
        ),
        pytest.param(
            scored("no", "no", C3="partly", C4="partly", C8="yes", C5="partly", C7="unknown"),
            CRITERIA,
            D("59.375"),  # 50 + 50 * (0.5 + 0.5 + 1 - 0.5)/8
            "borderline",
            id="partly-answers-mixed",
        ),
        pytest.param(
            scored("partly", "partly", C9="unknown", C10="unknown"),
            CRITERIA,
            D("50") + D("50") * (D("1.5") - D("2")) / 7,  # 3 outsource, 4 keep partly
            "borderline",
            id="all-partly-two-unknown",
        ),
        pytest.param(
            scored("no", "no"),
            CRITERIA,
            D(50),
            "borderline",
            id="everything-no-is-neutral",
        ),
        pytest.param(
            {"O": "yes", "K": "partly"},
            two_items(3, 2),
            D(70),  # 50 + 50 * (3 - 1)/5
            "non_core",
            id="custom-weights-3-and-2",
        ),
        pytest.param(
            scored("no", "no", C3="yes", C1="yes"),
            reweighted(C3=3, C1=2, C4=0, C10=0),
            D(55),  # C3 +3, C1 -2; answered weights 2+1+3+0+1+1+1+1+0 = 10
            "borderline",
            id="default-codes-reweighted",
        ),
    ],
)
def test_suitability_follows_the_formula(given, version, suitability, verdict):
    result = check(given, version)
    assert result.suitability.quantize(TEN_PLACES) == suitability.quantize(TEN_PLACES)
    assert result.verdict == verdict


def test_terminating_cases_are_exact_decimals():
    # No rounding: the suitability equals the hand-computed Decimal exactly.
    assert check(scored("yes", "no", C7="unknown"), CRITERIA).suitability == D("81.25")
    assert check({"O": "yes", "K": "partly"}, two_items(3, 2)).suitability == D(70)
    reweighted_answers = scored("no", "no", C3="yes", C1="yes")
    assert check(reweighted_answers, reweighted(C3=3, C1=2, C4=0, C10=0)).suitability == D(55)


@pytest.mark.parametrize("c6", ["yes", "partly", "no", "unknown"])
def test_caution_item_does_not_move_the_score(c6):
    base = check(scored("yes", "no", C6="no"), CRITERIA)
    result = check(scored("yes", "no", C6=c6), CRITERIA)
    assert result.suitability == base.suitability
    assert "C6" not in {c.code for c in result.contributions}
    assert result.cautions == (("C6",) if c6 in ("yes", "partly") else ())
    assert result.missing == (("C6",) if c6 == "unknown" else ())


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        pytest.param(scored("yes", "no"), (), id="all-answered"),
        pytest.param(scored("yes", "no", C4="unknown"), ("C4",), id="one-unknown"),
        pytest.param(
            {k: v for k, v in scored("yes", "no").items() if k not in ("C2", "C9")},
            ("C2", "C9"),
            id="two-unanswered",
        ),
        pytest.param(
            scored("yes", "no", C6="unknown", C10="unknown"), ("C6", "C10"), id="caution-unknown"
        ),
    ],
)
def test_unknown_and_unanswered_items_are_missing_and_excluded(given, missing):
    result = check(given, CRITERIA)
    assert result.missing == missing
    assert not {c.code for c in result.contributions} & set(missing)


# --- the verdict -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "given", "suitability", "verdict"),
    [
        pytest.param(two_items(1, 4), {"O": "yes", "K": "no"}, D(60), "non_core", id="exactly-60"),
        pytest.param(
            two_items(1001, 3999), {"O": "yes", "K": "no"}, D("60.01"), "non_core", id="60.01"
        ),
        pytest.param(
            two_items(999, 4001), {"O": "yes", "K": "no"}, D("59.99"), "borderline", id="59.99"
        ),
        pytest.param(
            two_items(99999, 400001),
            {"O": "yes", "K": "no"},
            D("59.9999"),
            "borderline",
            id="59.9999",
        ),
        pytest.param(two_items(4, 1), {"O": "no", "K": "yes"}, D(40), "core", id="exactly-40"),
        pytest.param(
            two_items(4001, 999), {"O": "no", "K": "yes"}, D("40.01"), "borderline", id="40.01"
        ),
        pytest.param(
            two_items(3999, 1001), {"O": "no", "K": "yes"}, D("39.99"), "core", id="39.99"
        ),
        pytest.param(two_items(1, 4), {"O": "yes", "K": "partly"}, D(40), "core", id="40-partly"),
        pytest.param(two_items(1, 1), {"O": "no", "K": "no"}, D(50), "borderline", id="50"),
    ],
)
def test_verdict_boundaries(version, given, suitability, verdict):
    result = check(given, version)
    assert result.suitability == suitability
    assert result.verdict == verdict


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        pytest.param(scored("yes", "no", C1="yes", C2="yes"), "core", id="high-score"),
        pytest.param(answers("unknown", C1="yes", C2="yes"), "core", id="eight-unknown"),
        pytest.param({"C1": "yes", "C2": "yes"}, "core", id="eight-unanswered"),
        pytest.param(scored("yes", "no", C1="yes", C2="partly"), "non_core", id="c2-partly"),
        pytest.param(scored("yes", "no", C1="yes"), "non_core", id="only-c1-yes"),
    ],
)
def test_c1_and_c2_both_yes_is_core_whatever_else(given, verdict):
    assert check(given, CRITERIA).verdict == verdict


def test_c1_and_c2_core_keeps_the_high_score():
    result = check(scored("yes", "no", C1="yes", C2="yes"), CRITERIA)
    assert result.suitability.quantize(TEN_PLACES) == D("66.6666666667")  # 50 + 50 * 3/9
    assert result.verdict == "core"


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        pytest.param(scored("yes", "no", C9="unknown", C10="unknown"), "non_core", id="2-unknown"),
        pytest.param(scored("yes", "no", C6="unknown", C7="unknown"), "non_core", id="2-with-c6"),
        pytest.param(
            scored("yes", "no", C8="unknown", C9="unknown", C10="unknown"),
            "incomplete",
            id="3-unknown",
        ),
        pytest.param(
            {k: v for k, v in scored("yes", "no").items() if k not in ("C5", "C7", "C8")},
            "incomplete",
            id="3-unanswered",
        ),
        pytest.param(
            {k: v for k, v in scored("yes", "no", C4="unknown").items() if k not in ("C5", "C6")},
            "incomplete",
            id="1-unknown-2-unanswered",
        ),
        pytest.param(
            scored("no", "yes", C2="no", C6="unknown", C8="unknown", C9="unknown"),
            "incomplete",
            id="3-unknown-low-score",
        ),
    ],
)
def test_more_than_two_missing_is_incomplete(given, verdict):
    assert check(given, CRITERIA).verdict == verdict


@pytest.mark.parametrize(
    ("given", "version"),
    [
        pytest.param({}, CRITERIA, id="nothing-answered"),
        pytest.param(answers("unknown"), CRITERIA, id="all-unknown"),
        pytest.param(answers("unknown", C6="yes"), CRITERIA, id="only-caution-answered"),
        pytest.param(
            {"S": "yes", "O": "unknown"},
            CriteriaVersion(
                (Criterion("S", "caution", D(1)), Criterion("O", "outsource", D(1))),
            ),
            id="one-missing-but-nothing-scored",
        ),
    ],
)
def test_no_scoring_answers_is_incomplete_without_a_score(given, version):
    result = check(given, version)
    assert result.verdict == "incomplete"
    assert result.suitability is None
    assert result.contributions == ()


# --- why: the contributions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "version"),
    [
        pytest.param(scored("yes", "no"), CRITERIA, id="non-core"),
        pytest.param(scored("no", "yes", C2="no"), CRITERIA, id="core"),
        pytest.param(
            scored("no", "no", C3="partly", C4="partly", C8="yes", C5="partly", C7="unknown"),
            CRITERIA,
            id="partly",
        ),
        pytest.param(scored("partly", "yes", C1="no", C6="yes"), CRITERIA, id="with-caution"),
        pytest.param({"O": "yes", "K": "partly"}, two_items(3, 2), id="custom-weights"),
    ],
)
def test_contributions_sum_to_suitability_minus_50(given, version):
    result = check(given, version)
    total = sum((c.points for c in result.contributions), D(0))
    # Equal up to the 28-digit Decimal context (ninths do not terminate).
    assert total.quantize(TEN_PLACES) == (result.suitability - 50).quantize(TEN_PLACES)


def test_contributions_name_each_answer_and_its_points():
    given = scored("no", "no", C3="partly", C4="partly", C8="yes", C5="partly", C7="unknown")
    result = check(given, CRITERIA)
    points = {c.code: (c.answer, c.points) for c in result.contributions}
    assert points == {
        "C1": ("no", D(0)),
        "C2": ("no", D(0)),
        "C3": ("partly", D("3.125")),
        "C4": ("partly", D("3.125")),
        "C5": ("partly", D("-3.125")),
        "C8": ("yes", D("6.25")),
        "C9": ("no", D(0)),
        "C10": ("no", D(0)),
    }


# --- pre-filling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        pytest.param({"standardizable": "yes"}, {"C3": "yes"}, id="c3-yes"),
        pytest.param({"standardizable": "partly"}, {"C3": "partly"}, id="c3-partly"),
        pytest.param({"standardizable": "no"}, {"C3": "no"}, id="c3-no"),
        pytest.param({"expertise": 1}, {"C4": "no"}, id="c4-expertise-1"),
        pytest.param({"expertise": 3}, {"C4": "no"}, id="c4-expertise-3"),
        pytest.param({"expertise": 4}, {"C4": "yes"}, id="c4-expertise-4"),
        pytest.param({"expertise": 5}, {"C4": "yes"}, id="c4-expertise-5"),
        pytest.param({"confidentiality": "confidential"}, {"C6": "yes"}, id="c6-confidential"),
        pytest.param({"confidentiality": "personal"}, {"C6": "yes"}, id="c6-personal"),
        pytest.param({"confidentiality": "public"}, {"C6": "no"}, id="c6-public"),
        pytest.param({"confidentiality": "internal"}, {"C6": "no"}, id="c6-internal"),
        pytest.param({"seasonality": "high"}, {"C8": "yes"}, id="c8-high"),
        pytest.param({"seasonality": "medium"}, {"C8": "partly"}, id="c8-medium"),
        pytest.param({"seasonality": "low"}, {"C8": "no"}, id="c8-low"),
        pytest.param({"people_able": 0}, {"C9": "yes"}, id="c9-nobody"),
        pytest.param({"people_able": 1}, {"C9": "yes"}, id="c9-one-person"),
        pytest.param({"people_able": 2}, {"C9": "no"}, id="c9-two-people"),
        pytest.param({}, {}, id="no-attributes"),
        pytest.param(
            {"standardizable": None, "expertise": None, "confidentiality": "", "seasonality": ""},
            {},
            id="empty-attributes",
        ),
        pytest.param(
            {"category": "hr", "judgment": "high", "tacit_knowledge": "high"},
            {},
            id="attributes-that-prefill-nothing",
        ),
        pytest.param(
            BASE,
            {"C3": "yes", "C4": "no", "C6": "no", "C8": "no", "C9": "no"},
            id="full-task",
        ),
    ],
)
def test_prefill(attributes, expected):
    assert prefill(attributes) == expected


# --- the decision table ----------------------------------------------------------------------


SMALL_HOURS = D(10)


def one_off(hours: D = SMALL_HOURS, **changes) -> dict:
    """A small one-off job with a clear deliverable, simple work on public data: crowdsourcing."""
    small = {"continuity": "one_off", "expertise": 1, "confidentiality": "public"}
    return facts(**{"annual_hours": hours, **small, **changes})


# The revised decision table of SPEC 4.4, rule by rule. A core task's or a dispatch task's
# runner-up is None: it would read as a second recommendation to outsource.
@pytest.mark.parametrize(
    ("task", "model", "rule", "runner_up"),
    [
        # 1. core
        pytest.param(facts("core"), "in_house", "core_in_house", None, id="core-verdict"),
        pytest.param(facts("core", category="it"), "in_house", "core_in_house", None, id="core-it"),
        pytest.param(
            facts("core", direct_instruction="yes"),
            "in_house",
            "core_in_house",
            None,
            id="core-before-direct-instruction",
        ),
        pytest.param(
            facts("core", requirement_changes="high"),
            "in_house",
            "core_in_house",
            None,
            id="core-and-unsuited",
        ),
        pytest.param(one_off(verdict="core"), "in_house", "core_in_house", None, id="core-one-off"),
        # 2. direct instruction, before the unsuited rule
        pytest.param(
            facts(direct_instruction="yes"),
            "dispatch",
            "direct_instruction_dispatch",
            None,
            id="direct-instruction",
        ),
        pytest.param(
            facts(direct_instruction="yes", judgment="high"),
            "dispatch",
            "direct_instruction_dispatch",
            None,
            id="high-judgment-and-direct-instruction-is-dispatch",
        ),
        pytest.param(
            facts(direct_instruction="yes", tacit_knowledge="high", requirement_changes="high"),
            "dispatch",
            "direct_instruction_dispatch",
            None,
            id="unsuited-and-direct-instruction-is-dispatch",
        ),
        pytest.param(
            facts(direct_instruction="yes", category="analysis", expertise=4),
            "dispatch",
            "direct_instruction_dispatch",
            None,
            id="direct-instruction-before-kpo",
        ),
        pytest.param(
            one_off(direct_instruction="yes"),
            "dispatch",
            "direct_instruction_dispatch",
            None,
            id="direct-instruction-one-off",
        ),
        # 3. unsuited to outsourcing
        pytest.param(
            facts(requirement_changes="high"),
            "in_house",
            "unsuited_in_house",
            "bpo",
            id="requirement-changes-high",
        ),
        pytest.param(
            facts(judgment="high"), "in_house", "unsuited_in_house", "bpo", id="judgment-high"
        ),
        pytest.param(
            facts(tacit_knowledge="high"),
            "in_house",
            "unsuited_in_house",
            "bpo",
            id="tacit-knowledge-high",
        ),
        pytest.param(
            facts("borderline", judgment="high", continuity="one_off"),
            "in_house",
            "unsuited_in_house",
            "subcontract",
            id="unsuited-one-off",
        ),
        pytest.param(
            facts(requirement_changes="medium", judgment="medium", tacit_knowledge="medium"),
            "bpo",
            "operation_bpo",
            None,
            id="all-medium-is-not-unsuited",
        ),
        # 4. knowledge work
        pytest.param(
            facts(category="analysis", expertise=3),
            "kpo",
            "knowledge_work_kpo",
            "bpo",
            id="analysis-expertise-3",
        ),
        pytest.param(
            facts(category="legal_expert", expertise=3),
            "kpo",
            "knowledge_work_kpo",
            "bpo",
            id="legal-expert-expertise-3",
        ),
        pytest.param(
            facts(category="legal_expert", expertise=5, continuity="one_off"),
            "kpo",
            "knowledge_work_kpo",
            "subcontract",
            id="kpo-one-off",
        ),
        pytest.param(
            facts(category="analysis", expertise=2),
            "bpo",
            "operation_bpo",
            None,
            id="analysis-expertise-2-not-kpo",
        ),
        pytest.param(
            facts(category="legal_expert", expertise=2),
            "bpo",
            "operation_bpo",
            None,
            id="legal-expert-expertise-2-not-kpo",
        ),
        pytest.param(
            facts(category="accounting", expertise=4, standardizable="no"),
            "kpo",
            "knowledge_work_kpo",
            "bpo",
            id="accounting-expertise-exactly-4-not-standardisable",
        ),
        pytest.param(
            facts(category="planning", expertise=5, standardizable="partly"),
            "kpo",
            "knowledge_work_kpo",
            "bpo",
            id="planning-expertise-5-partly-standardisable",
        ),
        pytest.param(
            facts(category="accounting", expertise=3, standardizable="no"),
            "bpo",
            "operation_bpo",
            None,
            id="accounting-expertise-3-not-kpo",
        ),
        pytest.param(
            facts(category="accounting", expertise=5, standardizable="yes"),
            "bpo",
            "operation_bpo",
            None,
            id="standardisable-expert-work-is-not-kpo",
        ),
        pytest.param(
            facts(category="it", expertise=5, standardizable="no"),
            "ito",
            "it_operation_ito",
            "bpo",
            id="it-is-never-kpo",
        ),
        # 5. one-off work
        pytest.param(
            one_off(deliverable_clear="no"),
            "in_house",
            "no_deliverable_in_house",
            "subcontract",
            id="one-off-without-a-deliverable",
        ),
        pytest.param(
            one_off(D(400), deliverable_clear="no", expertise=4),
            "in_house",
            "no_deliverable_in_house",
            "subcontract",
            id="large-one-off-without-a-deliverable",
        ),
        pytest.param(
            facts(deliverable_clear="no"),
            "bpo",
            "operation_bpo",
            None,
            id="ongoing-work-needs-no-deliverable",
        ),
        pytest.param(
            one_off(),
            "crowdsourcing",
            "small_one_off_crowdsourcing",
            "subcontract",
            id="small-one-off-public",
        ),
        pytest.param(
            one_off(D("39.99"), expertise=2),
            "crowdsourcing",
            "small_one_off_crowdsourcing",
            "subcontract",
            id="one-off-39.99-hours-expertise-2",
        ),
        pytest.param(
            one_off(D(40)),
            "subcontract",
            "one_off_subcontract",
            "bpo",
            id="one-off-exactly-40-hours-is-not-crowdsourcing",
        ),
        pytest.param(
            one_off(expertise=3),
            "subcontract",
            "one_off_subcontract",
            "bpo",
            id="one-off-expertise-3",
        ),
        pytest.param(
            one_off(confidentiality="internal"),
            "subcontract",
            "one_off_subcontract",
            "bpo",
            id="one-off-internal-data",
        ),
        pytest.param(
            one_off(confidentiality="confidential"),
            "subcontract",
            "one_off_subcontract",
            "bpo",
            id="one-off-confidential",
        ),
        pytest.param(
            one_off(confidentiality="personal"),
            "subcontract",
            "one_off_subcontract",
            "bpo",
            id="one-off-personal",
        ),
        pytest.param(
            one_off(category="analysis", expertise=2),
            "crowdsourcing",
            "small_one_off_crowdsourcing",
            "subcontract",
            id="analysis-expertise-2-small-one-off",
        ),
        pytest.param(
            one_off(D(1000), expertise=5),
            "subcontract",
            "one_off_subcontract",
            "bpo",
            id="one-off-otherwise",
        ),
        pytest.param(
            one_off(category="it", expertise=4),
            "subcontract",
            "one_off_subcontract",
            "ito",
            id="one-off-it",
        ),
        # 6. continuous operation
        pytest.param(facts(category="it"), "ito", "it_operation_ito", "bpo", id="it-ongoing"),
        pytest.param(
            facts(category="it", confidentiality="personal"),
            "ito",
            "it_operation_ito",
            "bpo",
            id="it-ongoing-personal",
        ),
        pytest.param(facts(), "bpo", "operation_bpo", None, id="everything-else"),
        pytest.param(
            facts("borderline", category="hr", confidentiality="personal"),
            "bpo",
            "operation_bpo",
            None,
            id="borderline-personal-hr",
        ),
    ],
)
def test_default_rules(task, model, rule, runner_up):
    recommendation = first_match(task, RULES)
    assert (recommendation.model, recommendation.rule, recommendation.runner_up) == (
        model,
        rule,
        runner_up,
    )
    assert recommendation.unknown_facts == ()


@pytest.mark.parametrize("confidentiality", ["internal", "confidential", "personal"])
@pytest.mark.parametrize("hours", [D(0), D(1), D("39.99")])
@pytest.mark.parametrize("expertise", [1, 2])
def test_only_public_data_goes_to_crowdsourcing(confidentiality, hours, expertise):
    task = one_off(hours, expertise=expertise, confidentiality=confidentiality)
    assert first_match(task, RULES).model == "subcontract"
    assert first_match({**task, "confidentiality": "public"}, RULES).model == "crowdsourcing"


@pytest.mark.parametrize(
    ("task", "pilot"),
    [
        pytest.param(facts("borderline"), True, id="borderline-bpo"),
        pytest.param(facts("borderline", category="it"), True, id="borderline-ito"),
        pytest.param(
            facts("borderline", category="analysis", expertise=3), True, id="borderline-kpo"
        ),
        pytest.param(
            facts("borderline", category="accounting", expertise=4, standardizable="no"),
            True,
            id="borderline-kpo-expert-accounting",
        ),
        pytest.param(one_off(verdict="borderline"), True, id="borderline-crowdsourcing"),
        pytest.param(facts("borderline", continuity="one_off"), True, id="borderline-subcontract"),
        pytest.param(facts("borderline", judgment="high"), False, id="borderline-in-house"),
        pytest.param(
            one_off(verdict="borderline", deliverable_clear="no"),
            False,
            id="borderline-no-deliverable-in-house",
        ),
        pytest.param(
            facts("borderline", direct_instruction="yes"), False, id="borderline-dispatch"
        ),
        pytest.param(
            facts("borderline", direct_instruction="yes", judgment="high"),
            False,
            id="borderline-dispatch-with-high-judgment",
        ),
        pytest.param(facts("non_core"), False, id="non-core-bpo"),
        pytest.param(facts("core"), False, id="core-in-house"),
    ],
)
def test_pilot(task, pilot):
    assert first_match(task, RULES).pilot is pilot


@pytest.mark.parametrize(
    ("task", "security_required"),
    [
        pytest.param(facts(confidentiality="confidential"), True, id="confidential-bpo"),
        pytest.param(facts(confidentiality="personal"), True, id="personal-bpo"),
        pytest.param(facts(confidentiality="personal", category="it"), True, id="personal-ito"),
        pytest.param(
            facts(confidentiality="confidential", continuity="one_off"),
            True,
            id="confidential-subcontract",
        ),
        pytest.param(facts(confidentiality="internal"), False, id="internal-bpo"),
        pytest.param(facts(confidentiality="public"), False, id="public-bpo"),
        pytest.param(facts("core", confidentiality="personal"), False, id="personal-in-house"),
        pytest.param(
            facts(confidentiality="personal", direct_instruction="yes"),
            False,
            id="personal-dispatch",
        ),
    ],
)
def test_security_required(task, security_required):
    assert first_match(task, RULES).security_required is security_required


# --- Condition and Rule, one by one -----------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "task", "holds"),
    [
        pytest.param(Condition("judgment", "eq", "high"), {"judgment": "high"}, True, id="eq"),
        pytest.param(Condition("judgment", "ne", "high"), {"judgment": "high"}, False, id="ne"),
        pytest.param(
            Condition("category", "in", ("analysis", "legal_expert")),
            {"category": "legal_expert"},
            True,
            id="in",
        ),
        pytest.param(
            Condition("confidentiality", "not_in", ("confidential", "personal")),
            {"confidentiality": "personal"},
            False,
            id="not-in",
        ),
        pytest.param(Condition("annual_hours", "lt", 40), {"annual_hours": D(40)}, False, id="lt"),
        pytest.param(Condition("expertise", "le", 2), {"expertise": 2}, True, id="le"),
        pytest.param(Condition("expertise", "gt", 2), {"expertise": 2}, False, id="gt"),
        pytest.param(Condition("expertise", "ge", 3), {"expertise": 3}, True, id="ge"),
        pytest.param(Condition("expertise", "ge", 3), {}, None, id="missing-fact"),
        pytest.param(Condition("judgment", "ne", "high"), {"judgment": ""}, None, id="empty-fact"),
        pytest.param(
            Condition("confidentiality", "not_in", ("confidential",)),
            {"confidentiality": None},
            None,
            id="none-fact",
        ),
    ],
)
def test_condition_holds(condition, task, holds):
    assert condition.holds(task) is holds


def test_condition_with_an_unknown_operator_raises():
    with pytest.raises(DefinitionError):
        Condition("expertise", "about", 3).holds({"expertise": 3})


@pytest.mark.parametrize(
    ("task", "decision"),
    [
        pytest.param({"judgment": "high"}, (True, set()), id="one-group-holds"),
        pytest.param(
            {"judgment": "low", "requirement_changes": "low", "tacit_knowledge": "low"},
            (False, set()),
            id="none-holds",
        ),
        pytest.param(
            {"judgment": "low"},
            (False, {"requirement_changes", "tacit_knowledge"}),
            id="missing-facts",
        ),
    ],
)
def test_rule_decide(task, decision):
    unsuited = next(r for r in RULES.rules if r.code == "unsuited_in_house")
    assert unsuited.decide(task) == decision


# --- the whole assessment and its warnings ---------------------------------------------------


def assessed(attributes, given=NON_CORE, *, hours=ONGOING_HOURS, cost=None):
    return assess_task(attributes, given, CRITERIA, RULES, annual_hours=hours, annual_cost=cost)


@pytest.mark.parametrize(
    ("attributes", "given", "cost", "model", "warnings"),
    [
        pytest.param(BASE, NON_CORE, None, "bpo", (), id="plain-bpo-no-warnings"),
        pytest.param(
            {**BASE, "direct_instruction": "yes"},
            NON_CORE,
            None,
            "dispatch",
            ("dispatch_term_limit",),
            id="dispatch-is-not-disguised-contracting",
        ),
        pytest.param(
            {**BASE, "confidentiality": "personal"},
            NON_CORE,
            None,
            "bpo",
            ("confidential_data",),
            id="personal-data-outsourced",
        ),
        pytest.param(
            {**BASE, "confidentiality": "confidential", "category": "it"},
            NON_CORE,
            None,
            "ito",
            ("confidential_data",),
            id="confidential-data-ito",
        ),
        pytest.param(
            {**BASE, "confidentiality": "public"},
            {**NON_CORE, "C6": "partly"},
            None,
            "bpo",
            ("confidential_data",),
            id="c6-caution-outsourced",
        ),
        pytest.param(
            {**BASE, "confidentiality": "personal"},
            CORE,
            None,
            "in_house",
            (),
            id="personal-data-kept-in-house",
        ),
        pytest.param(
            {**BASE, "people_able": 1},
            NON_CORE,
            None,
            "bpo",
            ("single_person_dependency",),
            id="one-person-able",
        ),
        pytest.param(
            {**BASE, "people_able": 0},
            CORE,
            None,
            "in_house",
            ("single_person_dependency",),
            id="nobody-able-in-house",
        ),
        pytest.param(
            {**BASE, "tacit_knowledge": "medium"},
            NON_CORE,
            None,
            "bpo",
            ("black_box",),
            id="tacit-medium-outsourced",
        ),
        pytest.param(
            BASE,
            {**NON_CORE, "C5": "partly"},
            None,
            "bpo",
            ("black_box",),
            id="c5-partly-outsourced",
        ),
        pytest.param(
            {**BASE, "tacit_knowledge": "high"},
            NON_CORE,
            None,
            "in_house",
            (),
            id="tacit-high-in-house",
        ),
        pytest.param(
            BASE, CORE, D(5_000_000), "in_house", ("costly_core",), id="costly-core-at-5m"
        ),
        pytest.param(BASE, CORE, D(4_999_999), "in_house", (), id="core-below-5m"),
        pytest.param(BASE, CORE, None, "in_house", (), id="core-cost-unknown"),
        pytest.param(BASE, NON_CORE, D(50_000_000), "bpo", (), id="costly-non-core"),
        pytest.param(
            {k: v for k, v in BASE.items() if k != "expertise"}
            | {"continuity": "one_off", "confidentiality": "public"},
            NON_CORE,
            None,
            "subcontract",
            ("missing_attributes",),
            id="one-off-public-without-expertise",
        ),
    ],
)
def test_assess_task_warnings(attributes, given, cost, model, warnings):
    hours = D(10) if attributes.get("continuity") == "one_off" else D(500)
    result = assessed(attributes, given, hours=hours, cost=cost)
    assert result.recommendation.model == model
    assert result.warnings == warnings


def test_missing_expertise_names_the_attribute():
    # Public data: only the expertise decides between crowdsourcing and subcontracting.
    attributes = {k: v for k, v in BASE.items() if k != "expertise"} | {
        "continuity": "one_off",
        "confidentiality": "public",
    }
    result = assessed(attributes, hours=D(10))
    assert result.recommendation.rule == "one_off_subcontract"
    assert result.recommendation.unknown_facts == ("expertise",)


@pytest.mark.parametrize(
    ("attributes", "given", "model", "warnings"),
    [
        pytest.param(
            {**BASE, "direct_instruction": "yes"},
            NON_CORE,
            "bpo",
            ("disguised_contracting",),
            id="bpo-override-with-direct-instruction",
        ),
        pytest.param(
            {**BASE, "direct_instruction": "yes"},
            NON_CORE,
            "subcontract",
            ("disguised_contracting",),
            id="subcontract-override-with-direct-instruction",
        ),
        pytest.param(
            {**BASE, "direct_instruction": "yes"},
            NON_CORE,
            "dispatch",
            ("dispatch_term_limit",),
            id="dispatch-with-direct-instruction",
        ),
        pytest.param(
            {**BASE, "direct_instruction": "yes"},
            NON_CORE,
            "in_house",
            (),
            id="in-house-with-direct-instruction",
        ),
        pytest.param(
            {**BASE, "tacit_knowledge": "high"},
            NON_CORE,
            "bpo",
            ("black_box",),
            id="bpo-override-with-tacit-high",
        ),
        pytest.param(
            BASE, {**NON_CORE, "C5": "yes"}, "kpo", ("black_box",), id="kpo-override-with-c5-yes"
        ),
        pytest.param(
            {**BASE, "tacit_knowledge": "medium"},
            {**NON_CORE, "C5": "yes"},
            "in_house",
            (),
            id="in-house-keeps-know-how",
        ),
        pytest.param(
            {**BASE, "confidentiality": "personal"},
            NON_CORE,
            "dispatch",
            ("dispatch_term_limit",),
            id="dispatch-with-personal-data",
        ),
        pytest.param(
            {**BASE, "confidentiality": "personal", "direct_instruction": "yes", "people_able": 1},
            {**NON_CORE, "C5": "yes"},
            "crowdsourcing",
            (
                "disguised_contracting",
                "confidential_data",
                "single_person_dependency",
                "black_box",
            ),
            id="everything-wrong",
        ),
    ],
)
def test_task_warnings_for_an_overridden_model(attributes, given, model, warnings):
    result = check(given, CRITERIA)
    assert task_warnings(attributes, given, result, model, criteria=CRITERIA) == warnings


@pytest.mark.parametrize(
    ("attributes", "model", "warnings"),
    [
        pytest.param(
            {**BASE, "licensed_work": "sharoushi"}, "bpo", ("licensed_work",), id="licensed-bpo"
        ),
        pytest.param(
            {**BASE, "licensed_work": "zeirishi", "continuity": "one_off"},
            "subcontract",
            ("licensed_work",),
            id="licensed-subcontract",
        ),
        pytest.param(
            {**BASE, "licensed_work": "bengoshi"}, "kpo", ("licensed_work",), id="licensed-kpo"
        ),
        pytest.param(
            {**BASE, "licensed_work": "shiho_shoshi"}, "in_house", (), id="licensed-in-house"
        ),
        pytest.param(
            {**BASE, "licensed_work": "gyosei_shoshi"},
            "dispatch",
            ("dispatch_term_limit",),
            id="licensed-dispatch-is-not-outsourcing",
        ),
        pytest.param({**BASE, "licensed_work": ""}, "bpo", (), id="no-licence"),
        pytest.param({**BASE, "on_site": "yes"}, "bpo", ("on_site",), id="on-site-bpo"),
        pytest.param(
            {**BASE, "on_site": "yes", "category": "it"}, "ito", ("on_site",), id="on-site-ito"
        ),
        pytest.param({**BASE, "on_site": "no"}, "bpo", (), id="off-site-bpo"),
        pytest.param({**BASE, "on_site": "yes"}, "in_house", (), id="on-site-in-house"),
        pytest.param(
            {**BASE, "on_site": "yes"},
            "dispatch",
            ("dispatch_term_limit",),
            id="on-site-dispatch-is-normal",
        ),
        pytest.param(
            {**BASE, "continuity": "ongoing"},
            "dispatch",
            ("dispatch_term_limit",),
            id="ongoing-dispatch",
        ),
        pytest.param(
            {**BASE, "continuity": "one_off"},
            "dispatch",
            ("day_labour_ban",),
            id="one-off-dispatch",
        ),
        pytest.param(
            {k: v for k, v in BASE.items() if k != "continuity"},
            "dispatch",
            (),
            id="dispatch-continuity-unknown",
        ),
        pytest.param({**BASE, "continuity": "ongoing"}, "bpo", (), id="ongoing-bpo-no-term"),
        pytest.param({**BASE, "continuity": "one_off"}, "subcontract", (), id="one-off-no-ban"),
        pytest.param(
            {**BASE, "licensed_work": "sharoushi", "on_site": "yes", "direct_instruction": "yes"},
            "bpo",
            ("disguised_contracting", "licensed_work", "on_site"),
            id="licensed-on-site-directed-bpo",
        ),
    ],
)
def test_new_warnings(attributes, model, warnings):
    result = check(NON_CORE, CRITERIA)
    assert task_warnings(attributes, NON_CORE, result, model, criteria=CRITERIA) == warnings


@pytest.mark.parametrize(
    ("attributes", "model", "warnings"),
    [
        pytest.param(
            {**BASE, "licensed_work": "sharoushi", "category": "hr"},
            "bpo",
            ("licensed_work",),
            id="social-insurance-filings-bpo",
        ),
        pytest.param(
            {**BASE, "direct_instruction": "yes", "continuity": "one_off"},
            "dispatch",
            ("day_labour_ban",),
            id="one-off-dispatch",
        ),
        pytest.param(
            {**BASE, "direct_instruction": "yes", "on_site": "yes", "licensed_work": "zeirishi"},
            "dispatch",
            ("dispatch_term_limit",),
            id="ongoing-dispatch-on-site",
        ),
    ],
)
def test_new_warnings_on_the_computed_model(attributes, model, warnings):
    result = assessed(attributes)
    assert result.recommendation.model == model
    assert result.warnings == warnings


@pytest.mark.parametrize(
    ("changes", "matched"),
    [
        pytest.param({"requirement_changes": "high"}, ("requirement_changes",), id="changes"),
        pytest.param({"judgment": "high"}, ("judgment",), id="judgment"),
        pytest.param({"tacit_knowledge": "high"}, ("tacit_knowledge",), id="tacit"),
        pytest.param(
            {"judgment": "high", "tacit_knowledge": "high"},
            ("judgment", "tacit_knowledge"),
            id="two-factors",
        ),
    ],
)
def test_the_unsuited_reason_names_the_factor_rated_high(changes, matched):
    result = assessed({**BASE, **changes})
    assert result.recommendation.rule == "unsuited_in_house"
    assert result.recommendation.matched == matched
    assert tuple(r for r in result.reasons if r.startswith("matched:")) == tuple(
        f"matched:{attribute}" for attribute in matched
    )


def test_a_rule_with_one_alternative_names_no_factor():
    result = assessed(BASE)
    assert result.recommendation.rule == "operation_bpo"
    assert result.recommendation.matched == ()
    assert not any(r.startswith("matched:") for r in result.reasons)


@pytest.mark.parametrize(
    ("cost", "warned"),
    [
        pytest.param(D(4_999_999), False, id="4999999"),
        pytest.param(D("4999999.99"), False, id="4999999.99"),
        pytest.param(D(5_000_000), True, id="5000000"),
        pytest.param(D(12_000_000), True, id="12000000"),
    ],
)
def test_costly_core_boundary(cost, warned):
    result = check(CORE, CRITERIA)
    warnings = task_warnings(BASE, CORE, result, "in_house", criteria=CRITERIA, annual_cost=cost)
    assert ("costly_core" in warnings) is warned


@pytest.mark.parametrize(
    "given",
    [
        pytest.param({}, id="no-answers"),
        pytest.param(
            scored("yes", "no", C8="unknown", C9="unknown", C10="unknown"), id="3-unknown"
        ),
    ],
)
def test_incomplete_verdict_gets_no_recommendation(given):
    result = assessed({**BASE, "people_able": 1}, given)
    assert result.check.verdict == "incomplete"
    assert result.recommendation is None
    assert result.warnings == ()
    assert "verdict:incomplete" in result.reasons


@pytest.mark.parametrize(
    ("given", "model"),
    [
        pytest.param(NON_CORE, "bpo", id="non-core"),
        pytest.param(CORE, "in_house", id="core"),
        pytest.param(BORDERLINE, "bpo", id="borderline"),
        pytest.param({}, None, id="incomplete"),
    ],
)
def test_task_without_any_attributes_does_not_raise(given, model):
    result = assess_task({}, given, CRITERIA, RULES)
    if model is None:
        assert result.recommendation is None
    else:
        assert result.recommendation.model == model
        if model != "in_house":
            assert "missing_attributes" in result.warnings


def test_reasons_name_the_verdict_the_moving_answers_and_the_rule():
    result = assessed(BASE, scored("no", "no", C3="yes", C5="partly", C7="unknown"))
    assert result.reasons == (
        "verdict:borderline",
        "answer:C3:yes",
        "answer:C5:partly",
        "rule:operation_bpo",
    )


# --- bad definitions -------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["maybe", "YES", "1"])
def test_check_rejects_an_unknown_answer(answer):
    with pytest.raises(DefinitionError):
        check({"C3": answer}, CRITERIA)


@pytest.mark.parametrize("blank", ["", None])
def test_a_blank_answer_counts_as_unanswered(blank):
    assert check({"C3": blank}, CRITERIA) == check({}, CRITERIA)


def test_default_criteria_validate_clean():
    assert validate_criteria(CRITERIA) == []


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        pytest.param(reweighted(C3=-1), "negative_weight:C3", id="negative-weight"),
        pytest.param(
            replace(CRITERIA, criteria=(*CRITERIA.criteria, Criterion("C3", "keep", D(1)))),
            "duplicate_code",
            id="duplicate-code",
        ),
        pytest.param(
            CriteriaVersion((Criterion("A", "outsource", D(1)), Criterion("B", "sideways", D(1)))),
            "unknown_direction:B",
            id="unknown-direction",
        ),
        pytest.param(
            replace(CRITERIA, thresholds=Thresholds(non_core_at=D(50), core_at=D(50))),
            "thresholds_overlap",
            id="core-at-equals-non-core-at",
        ),
        pytest.param(
            replace(CRITERIA, thresholds=Thresholds(non_core_at=D(40), core_at=D(60))),
            "thresholds_overlap",
            id="core-at-above-non-core-at",
        ),
        pytest.param(
            replace(CRITERIA, thresholds=Thresholds(non_core_at=D(101))),
            "thresholds_overlap",
            id="non-core-at-above-100",
        ),
        pytest.param(
            replace(CRITERIA, thresholds=Thresholds(core_at=D(-1))),
            "thresholds_overlap",
            id="core-at-below-0",
        ),
        pytest.param(
            CriteriaVersion((Criterion("C6", "caution", D(1)),)),
            "no_scoring_criterion",
            id="only-caution",
        ),
        pytest.param(
            CriteriaVersion((Criterion("A", "outsource", D(0)), Criterion("B", "keep", D(0)))),
            "no_scoring_criterion",
            id="all-weights-zero",
        ),
        pytest.param(CriteriaVersion(()), "no_scoring_criterion", id="no-criteria"),
    ],
)
def test_validate_criteria_reports(version, problem):
    assert problem in validate_criteria(version)


def test_default_rules_validate_clean():
    assert validate_rules(RULES) == []


CATCH_ALL = Rule("rest", "bpo", ())


def table(*rules: Rule) -> RuleTable:
    return RuleTable((*rules, CATCH_ALL))


def one(attribute, operator, value, outcome="in_house", code="bad") -> Rule:
    return Rule(code, outcome, ((Condition(attribute, operator, value),),))


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        pytest.param(
            table(one("colour", "eq", "red")), "unknown_attribute:bad:colour", id="unknown-attr"
        ),
        pytest.param(
            table(one("verdict", "eq", "maybe")),
            "unknown_value:bad:verdict:maybe",
            id="verdict-eq-maybe",
        ),
        pytest.param(
            table(one("category", "in", ("it", "robots"))),
            "unknown_value:bad:category:robots",
            id="category-in-unknown",
        ),
        pytest.param(
            table(one("category", "in", "it")),
            "needs_a_list:bad:category",
            id="in-with-a-text-not-a-list",
        ),
        pytest.param(
            table(one("verdict", "eq", "core", outcome="offshore")),
            "unknown_outcome:bad",
            id="unknown-outcome",
        ),
        pytest.param(
            table(one("expertise", "about", 3)),
            "unknown_operator:bad:about",
            id="unknown-operator",
        ),
        pytest.param(
            table(one("judgment", "gt", "low")),
            "ordering_on_enumeration:bad:judgment",
            id="ordering-on-enumerated",
        ),
        pytest.param(
            table(one("seasonality", "ge", "medium")),
            "ordering_on_enumeration:bad:seasonality",
            id="ge-on-enumerated",
        ),
        pytest.param(
            table(one("expertise", "ge", "3")),
            "not_a_number:bad:expertise",
            id="string-on-numeric",
        ),
        pytest.param(
            table(one("annual_hours", "lt", None)),
            "not_a_number:bad:annual_hours",
            id="none-on-numeric",
        ),
        pytest.param(
            table(one("verdict", "eq", "core", code="x"), one("judgment", "eq", "high", code="x")),
            "duplicate_code",
            id="duplicate-code",
        ),
        pytest.param(
            RuleTable((one("verdict", "eq", "core", code="only"),)),
            "no_catch_all",
            id="no-catch-all",
        ),
        pytest.param(
            RuleTable((CATCH_ALL, one("verdict", "eq", "core", code="late"))),
            "no_catch_all",
            id="catch-all-not-last",
        ),
    ],
)
def test_validate_rules_reports(rules, problem):
    assert any(p.startswith(problem) for p in validate_rules(rules)), validate_rules(rules)


def test_empty_rule_table_is_not_publishable():
    assert "no_catch_all" in validate_rules(RuleTable(()))


# --- coverage --------------------------------------------------------------------------------


def test_default_rules_cover_everything_and_every_rule_fires():
    result = coverage(RULES)
    assert result.uncovered_count == 0
    assert result.uncovered == ()
    assert result.never_fire == ()


@pytest.mark.parametrize(
    ("rules", "never_fire"),
    [
        pytest.param(
            table(
                one("continuity", "eq", "one_off", "subcontract", "one_off"),
                Rule(
                    "small_one_off",
                    "crowdsourcing",
                    (
                        (
                            Condition("continuity", "eq", "one_off"),
                            Condition("expertise", "le", 2),
                        ),
                    ),
                ),
            ),
            ("small_one_off",),
            id="narrower-after-broader",
        ),
        pytest.param(
            table(
                one("verdict", "in", ("core", "borderline", "non_core"), "in_house", "all"),
            ),
            ("rest",),
            id="catch-all-shadowed",
        ),
        pytest.param(
            RuleTable((CATCH_ALL, one("verdict", "eq", "core", code="late"))),
            ("late",),
            id="rule-after-catch-all",
        ),
        pytest.param(
            table(one("expertise", "ge", 3, "kpo", "k3"), one("expertise", "ge", 4, "kpo", "k4")),
            ("k4",),
            id="numeric-shadowed",
        ),
    ],
)
def test_coverage_lists_rules_that_never_fire(rules, never_fire):
    assert coverage(rules).never_fire == never_fire


def test_table_without_catch_all_has_uncovered_combinations():
    rules = RuleTable(
        (
            one("verdict", "eq", "core", "in_house", "core"),
            one("continuity", "eq", "one_off", "subcontract", "one_off"),
        )
    )
    result = coverage(rules)
    # verdict non_core / borderline x continuity ongoing
    assert result.uncovered_count == 2
    assert all(isinstance(example, dict) for example in result.uncovered)
    assert {(e["verdict"], e["continuity"]) for e in result.uncovered} == {
        ("non_core", "ongoing"),
        ("borderline", "ongoing"),
    }
    assert result.never_fire == ()


def test_coverage_examples_are_limited():
    rules = RuleTable((one("expertise", "ge", 3, "kpo", "k"),))
    result = coverage(rules, limit=2)
    # verdict 3 values x expertise {2, 3, 4}: expertise 2 is uncovered for each verdict
    assert result.uncovered_count == 3
    assert len(result.uncovered) == 2
    assert all(set(example) == {"verdict", "expertise"} for example in result.uncovered)


def test_a_missing_fact_a_failed_condition_makes_irrelevant_is_not_a_warning():
    # An ongoing IT task: both alternatives of the KPO rule fail on its category, so its
    # expertise (unknown here) could not have changed the outcome.
    attributes = {
        "category": "it",
        "continuity": "ongoing",
        "direct_instruction": "no",
        "judgment": "low",
        "requirement_changes": "low",
        "tacit_knowledge": "low",
    }
    answers = dict.fromkeys(["C1", "C2", "C5", "C7"], "no") | dict.fromkeys(
        ["C3", "C4", "C8", "C9", "C10"], "yes"
    )
    result = assess_task(attributes, answers, CRITERIA, RULES, annual_hours=D(100))
    assert result.recommendation.model == "ito"
    assert "missing_attributes" not in result.warnings


def test_expertise_decides_kpo_for_other_categories_so_its_absence_is_a_warning():
    attributes = {k: v for k, v in BASE.items() if k != "expertise"} | {"standardizable": "no"}
    result = assessed(attributes)
    assert result.recommendation.model == "bpo"
    assert result.recommendation.unknown_facts == ("expertise",)
    assert "missing_attributes" in result.warnings
