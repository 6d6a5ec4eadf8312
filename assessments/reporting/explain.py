"""A stored result in words: why a task got its verdict and model, and what to watch out for.

Shared by the pages and the reports; reasons and warnings are stored as codes (so a result reads
the same in Japanese and English) and put into words here, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.domain import choices, columns
from assessments.domain.choices import Outcome, Verdict
from assessments.domain.classification import shown_suitability
from assessments.models import Task, TaskResult
from assessments.models.versions import ChecklistVersion, RuleTableVersion
from outsourcing_advisor.common.wording import listing, rounded_to_total

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# code -> (what it is, what to do about it)
WARNINGS: dict[str, tuple[_StrPromise, _StrPromise]] = {
    "disguised_contracting": (
        gettext_lazy("Risk of disguised contracting (偽装請負)"),
        gettext_lazy(
            "The work needs day-to-day instructions from your staff, but it would be outsourced: "
            "under a service contract the client may not direct the vendor's workers. Use "
            "dispatch, or redesign the work so the vendor directs its own people."
        ),
    ),
    "confidential_data": (
        gettext_lazy("Confidential or personal data leaves the company"),
        gettext_lazy(
            "Require ISMS / ISO 27001 or the Privacy Mark, limit who can see the data, and put "
            "its handling, audits and deletion into the contract."
        ),
    ),
    "single_person_dependency": (
        gettext_lazy("Only one person can do it"),
        gettext_lazy(
            "Write the procedure down first: kept or outsourced, the work must not depend on "
            "one person."
        ),
    ),
    "black_box": (
        gettext_lazy("Know-how may become a black box"),
        gettext_lazy(
            "Keep the manuals and decision rules in-house, ask for regular reports, and keep "
            "someone who understands the work well enough to check it and to take it back."
        ),
    ),
    "costly_core": (
        gettext_lazy("Core, but costly"),
        gettext_lazy(
            "This core task costs a lot: look for the parts of it that can be standardised or "
            "supported from outside, while the judgment stays in-house."
        ),
    ),
    "missing_attributes": (
        gettext_lazy("Some inventory attributes are missing"),
        gettext_lazy(
            "The recommendation was made without some of the task's attributes; fill them in "
            "to confirm it."
        ),
    ),
    "licensed_work": (
        gettext_lazy("Licensed work (士業の独占業務)"),
        gettext_lazy(
            "Only a registered professional (社労士, 税理士, 弁護士, 司法書士 or 行政書士, as the "
            "task says) may do this work for another company (社労士法27条, 税理士法52条, "
            "弁護士法72条, 司法書士法73条, 行政書士法19条). Choose a vendor holding the "
            "registration, or have the licensed part done by a registered professional."
        ),
    ),
    "on_site": (
        gettext_lazy("Outsourced work on your premises (常駐)"),
        gettext_lazy(
            "On-site work is where disguised contracting (偽装請負) usually starts. Under 告示37号 "
            "the vendor must instruct and manage its own workers, set their hours and "
            "discipline, fund the work and answer for it, and work with its own equipment or on "
            "its own planning or expertise. Otherwise the work may be judged to be dispatch in "
            "fact; where the arrangement was made to evade the dispatch law, your company may "
            "be deemed to have offered the workers employment (労働者派遣法第40条の6第1項第5号). "
            "Answer the package's 告示37号 checklist."
        ),
    ),
    "dispatch_term_limit": (
        gettext_lazy("Dispatch: the three-year limit (抵触日)"),
        gettext_lazy(
            "One site may take dispatched workers for three years at most (労働者派遣法40条の2), "
            "and one unit the same worker for three years at most (40条の3). Tell the agency "
            "the 抵触日 when you contract (26条4項); to extend, hear your majority union or "
            "employee representative at least a month before it. Taking workers past the limit, "
            "your company is deemed to offer them employment unless it neither knew nor could "
            "have known of the breach (40条の6第1項第3号・第4号)."
        ),
    ),
    "day_labour_ban": (
        gettext_lazy("Dispatch: day labour (日雇派遣) is banned"),
        gettext_lazy(
            "Dispatching a worker employed for 30 days or less is banned in principle "
            "(労働者派遣法35条の4); the exceptions are the work listed by cabinet order and "
            "workers such as those aged 60 or over or students. For a short one-off job, take a "
            "worker the agency employs for more than 30 days, or subcontract a defined "
            "deliverable."
        ),
    ),
}

# What a rule's explanation may name with the placeholder {factors}: the attributes of the
# alternatives that held (stored as "matched:<attribute>" reasons), e.g. 「都度判断が多いため」.
FACTORS = "{factors}"


@dataclass(frozen=True)
class Factor:
    code: str
    question: str
    answer: str  # the answer's label
    points: Decimal  # how far it moved the score from 50: + towards outsourcing
    shown: Decimal | None = None  # `points` to one decimal, so that the shown ones add up


# Where the score starts before any answer moves it (SPEC 4.3).
SCORE_START = Decimal(50)
SCORE_STEP = Decimal("0.1")  # the suitability is shown to one decimal (figures.score)


@dataclass(frozen=True)
class Warning:
    code: str
    title: str
    advice: str


@dataclass(frozen=True)
class Explanation:
    suitability: Decimal | None  # the one shown: none while incomplete (shown_suitability)
    verdict: str
    verdict_label: str
    verdict_reason: str
    model: str  # the computed recommendation, "" while incomplete
    model_label: str
    runner_up_label: str
    rule_text: str  # the deciding rule's explanation
    pilot: bool
    security_required: bool
    factors: list[Factor]  # largest effect first
    missing: list[tuple[str, str]]  # (code, question)
    warnings: list[Warning]
    scoring: str = "answered"  # how the checklist version scores (classification.Scoring)


def explain(
    result: TaskResult, questions: dict[str, str], rule_texts: dict[str, str]
) -> Explanation:
    """`questions` and `rule_texts` map codes to text of the versions the result was computed
    with (see `version_texts`)."""
    detail = result.detail
    suitability = shown_suitability(result.verdict, result.suitability)
    factors = [
        Factor(code, questions.get(code, code), choices.label(choices.CheckAnswer, answer), pts)
        for code, answer, points in detail.get("contributions", [])
        if (pts := Decimal(points))
    ]
    factors.sort(key=lambda f: -abs(f.points))
    factors = _shown_points(factors, suitability)
    version = result.checklist_version
    runner_up = detail.get("runner_up", "")
    return Explanation(
        suitability=suitability,
        verdict=result.verdict,
        verdict_label=choices.label(Verdict, result.verdict),
        verdict_reason=verdict_reason(result, version),
        model=result.model,
        model_label=choices.label(Outcome, result.model) if result.model else "",
        runner_up_label=choices.label(Outcome, runner_up) if runner_up else "",
        rule_text=rule_text(rule_texts.get(detail.get("rule", ""), ""), detail),
        pilot=bool(detail.get("pilot")),
        security_required=bool(detail.get("security_required")),
        factors=factors,
        missing=[(code, questions.get(code, code)) for code in detail.get("missing", [])],
        warnings=[warning(code) for code in detail.get("warnings", [])],
        scoring=detail.get("scoring", "answered"),
    )


def _shown_points(factors: list[Factor], suitability: Decimal | None) -> list[Factor]:
    """The factors with their points to one decimal, adding up to the score as shown: 50 plus
    the parts is the suitability to one decimal, rounded once from the stored figure
    (largest remainder: 5.6 + 5.5 + 2.8 beside 63.9, never 5.6 + 5.6 + 2.8 = 64.0)."""
    if suitability is None:
        return factors
    total = suitability.quantize(SCORE_STEP, rounding=ROUND_HALF_UP) - SCORE_START
    shown = rounded_to_total([f.points for f in factors], total)
    return [replace(f, shown=points) for f, points in zip(factors, shown, strict=True)]


def rule_text(text: str, detail: dict[str, Any]) -> str:
    """The deciding rule's explanation, its {factors} replaced by the names of the attributes
    that decided (the unsuited rule: which of its three factors is rated high)."""
    if FACTORS not in text:
        return text
    matched = [
        reason.removeprefix("matched:")
        for reason in detail.get("reasons", [])
        if reason.startswith("matched:")
    ]
    names = [columns.label(a) for a in matched]  # as the inventory names them
    return text.replace(FACTORS, listing(names))


def warning(code: str) -> Warning:
    title, advice = WARNINGS.get(code, (code, ""))
    return Warning(code, str(title), str(advice))


def verdict_reason(result: TaskResult, version: ChecklistVersion) -> str:
    answers = {code: answer for code, answer, _points in result.detail.get("contributions", [])}
    if result.verdict == "core" and answers.get("C1") == answers.get("C2") == "yes":
        return _(
            "It directly generates sales or profit and is a source of competitive advantage "
            "(both answered “yes”): the task is core whatever its score."
        )
    values = {
        "score": _number(result.suitability),
        "non_core": _number(version.non_core_at),
        "core": _number(version.core_at),
        "unknown": version.max_unknown,
    }
    reasons = {
        "non_core": _("Suitability %(score)s is at or above %(non_core)s: non-core."),
        "core": _("Suitability %(score)s is at or below %(core)s: core."),
        "borderline": _(
            "Suitability %(score)s is between %(core)s and %(non_core)s: borderline. If it is "
            "outsourced, start with a pilot."
        ),
        "incomplete": _(
            "More than %(unknown)s questions are unanswered or “don't know”: answer them to "
            "get a verdict and a model."
        ),
    }
    return reasons.get(result.verdict, "") % values


def version_texts(
    version: ChecklistVersion, rules: RuleTableVersion
) -> tuple[dict[str, str], dict[str, str]]:
    """The questions of a checklist version and the explanations of a rule-table version, by
    code, in the active language: two queries."""
    questions = {c.code: c.text for c in version.criteria.all()}
    rule_texts = {r.code: r.explanation for r in rules.rules.all()}
    return questions, rule_texts


def undecided_labels() -> dict[str, str]:
    """The names of the groups of tasks without a model (inventory.model_breakdown), in the
    reader's language: the overview's and the report's tables by model end with them."""
    return {"incomplete": _("On hold (answers missing)"), "unchecked": _("Not checked yet")}


def explain_task(task: Task) -> Explanation | None:
    result = task.current_result
    if result is None:
        return None
    return explain(result, *version_texts(result.checklist_version, result.rule_version))


def _number(value: Decimal | None) -> str:
    """A score or threshold as the page shows it: rounded half up to one decimal, as
    figures.score does (format() would round 63.85 to even, 63.8, beside a shown 63.9)."""
    if value is None:
        return "—"
    return f"{value.quantize(SCORE_STEP, rounding=ROUND_HALF_UP) + 0}".removesuffix(".0")
