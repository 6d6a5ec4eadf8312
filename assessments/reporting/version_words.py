"""What moving an assessment to other versions changes, in words (issue 18): the versions by
name and date, what changed in them (questions, thresholds, rules with their conditions, vendor
criteria weights, readiness items) and, for each task whose verdict or recommended model changes,
why. `Assessment.version_changes` computes the changes; this words them in the reader's language,
never as codes or lists of Python values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.domain import choices, columns, inventory
from assessments.domain import classification as cl
from assessments.domain.changes import Change
from assessments.domain.choices import Direction, Outcome, Verdict
from assessments.domain.columns import COLUMNS_BY_KEY
from assessments.models import Task, TaskResult
from assessments.models.assessment import PinnedVersions, VersionChanges
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    DecisionRule,
    EvaluationVersion,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
    Version,
    conditions_from_json,
)
from assessments.reporting import explain
from assessments.reporting.case import yen
from outsourcing_advisor.common.wording import listing, plain_number

# The page words at most this many tasks; the counts are of them all.
SHOWN_TASKS = 200


def version_name(version: Version | None) -> str:
    """「チェックリスト v2（2026-11-20 公開）」: the kind, the number and the day it was
    published, in the reader's language; "—" for none."""
    if version is None:
        return "—"
    day = (
        timezone.localtime(version.published_at).date().isoformat() if version.published_at else ""
    )
    names = {
        ChecklistVersion: (
            _("Checklist %(number)s (published %(date)s)"),
            _("Checklist %(number)s"),
        ),
        RuleTableVersion: (
            _("Rule table %(number)s (published %(date)s)"),
            _("Rule table %(number)s"),
        ),
        EvaluationVersion: (
            _("Vendor criteria %(number)s (published %(date)s)"),
            _("Vendor criteria %(number)s"),
        ),
        ReadinessVersion: (
            _("Readiness checklist %(number)s (published %(date)s)"),
            _("Readiness checklist %(number)s"),
        ),
    }
    dated, plain = names[type(version)]
    return (dated if day else plain) % {"number": str(version), "date": day}


# --- conditions ----------------------------------------------------------------------------


def _attribute(name: str) -> str:
    if name == "verdict":
        return _("Verdict")
    return columns.label(name)  # as the inventory names it


def _value(attribute: str, value: Any) -> str:
    """A value a rule compares with: a choice's label in quotes, a number as written."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return plain_number(Decimal(str(value)))
    if attribute == "verdict":
        label = choices.label(Verdict, str(value))
    else:
        column = COLUMNS_BY_KEY.get(attribute)
        kind = column.choices if column else None
        label = choices.label(kind, str(value)) if kind else str(value)
    return _("“%(value)s”") % {"value": label}


def condition_words(condition: cl.Condition) -> str:
    """One condition of a rule: 「専門性が4以上」 / “Expertise is 4 or more”."""
    attribute = _attribute(condition.attribute)
    raw = condition.value
    values = list(raw) if isinstance(raw, tuple | list) else [raw]
    shown = [_value(condition.attribute, v) for v in values]
    operator = condition.operator
    if operator in ("in", "eq") and len(shown) == 1:
        return _("%(attribute)s is %(value)s") % {"attribute": attribute, "value": shown[0]}
    if operator in ("not_in", "ne") and len(shown) == 1:
        return _("%(attribute)s is not %(value)s") % {"attribute": attribute, "value": shown[0]}
    if operator == "in":
        return _("%(attribute)s is %(values)s") % {
            "attribute": attribute,
            "values": _(" or ").join(shown),
        }
    if operator == "not_in":
        return _("%(attribute)s is none of %(values)s") % {
            "attribute": attribute,
            "values": listing(shown),
        }
    comparisons = {
        "lt": _("%(attribute)s is under %(value)s"),
        "le": _("%(attribute)s is %(value)s or less"),
        "gt": _("%(attribute)s is over %(value)s"),
        "ge": _("%(attribute)s is %(value)s or more"),
    }
    if operator in comparisons:
        return comparisons[operator] % {"attribute": attribute, "value": shown[0]}
    return f"{attribute} {operator} {listing(shown)}"  # an operator the table refuses anyway


def conditions_words(data: Any) -> str:
    """A rule's conditions (as stored): the conditions of a group joined by “and”, the groups
    by “or”; a rule without any applies to every task the rules above it leave."""
    try:
        groups = conditions_from_json(data)
    except ValueError:
        return str(data)
    if not groups:
        return _("any task the rules above do not decide")
    worded = [_(" and ").join(condition_words(c) for c in group) for group in groups]
    if len(worded) > 1:
        worded = [
            _("(%(conditions)s)") % {"conditions": w} if len(g) > 1 else w
            for w, g in zip(worded, groups, strict=True)
        ]
    return _(", or ").join(worded)


# --- what changed in the versions ------------------------------------------------------------


def _moved(before: Sequence[str], after: Sequence[str]) -> set[str]:
    """The codes on both sides whose order relative to the others changed: those outside the
    longest run the two orders share. A rule inserted above others moves none of them."""
    common = set(before) & set(after)
    a = [code for code in before if code in common]
    b = [code for code in after if code in common]
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    kept, i, j = set(), 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return common - kept


def _quoted(code: str, text: str) -> dict[str, str]:
    return {"code": code, "text": text}


def _number(value: Any) -> str:
    return plain_number(Decimal(str(value))) if value is not None else "—"


def criteria_words(changes: Iterable[Change], versions: Versions) -> list[str]:
    old, new = versions.criteria
    moved = _moved(list(old), list(new))
    found = []
    for change in changes:
        if change.kind == "added":
            criterion = new[change.code]
            found.append(
                _("New question %(code)s “%(text)s”: %(direction)s, weight %(weight)s.")
                % {
                    **_quoted(criterion.code, criterion.text),
                    "direction": criterion.get_direction_display(),
                    "weight": _number(criterion.weight),
                }
            )
        elif change.kind == "removed":
            criterion = old[change.code]
            found.append(
                _("Question %(code)s “%(text)s” is removed: its answers no longer count.")
                % _quoted(criterion.code, criterion.text)
            )
        else:
            found += _criterion_changes(old[change.code], new[change.code], change.code in moved)
    return found


def _criterion_changes(old: ChecklistCriterion, new: ChecklistCriterion, moved: bool) -> list[str]:
    found = []
    named = _quoted(new.code, new.text)
    if old.text_ja != new.text_ja or old.text_en != new.text_en:
        found.append(
            _("%(code)s is reworded: “%(new)s” (was “%(old)s”).")
            % {"code": new.code, "new": new.text, "old": old.text}
        )
    if old.help_ja != new.help_ja or old.help_en != new.help_en:
        found.append(_("%(code)s “%(text)s” has a new help text.") % named)
    if old.direction != new.direction:
        found.append(
            _("%(code)s “%(text)s” now counts as “%(new)s” (was “%(old)s”).")
            % {
                **named,
                "new": new.get_direction_display(),
                "old": old.get_direction_display(),
            }
        )
    if old.weight != new.weight:
        values = {**named, "new": _number(new.weight), "old": _number(old.weight)}
        if not new.weight:
            found.append(
                _("%(code)s “%(text)s” no longer counts in the suitability (weight %(old)s → 0).")
                % values
            )
        else:
            found.append(_("%(code)s “%(text)s” now weighs %(new)s (was %(old)s).") % values)
    if moved:
        found.append(_("%(code)s “%(text)s” is asked in another place in the list.") % named)
    return found


def threshold_words(before: ChecklistVersion | None, after: ChecklistVersion) -> list[str]:
    if before is None:
        return []
    found = []
    if before.non_core_at != after.non_core_at:
        found.append(
            _("A task is non-core from a suitability of %(new)s (was %(old)s).")
            % {"new": _number(after.non_core_at), "old": _number(before.non_core_at)}
        )
    if before.core_at != after.core_at:
        found.append(
            _("A task is core up to a suitability of %(new)s (was %(old)s).")
            % {"new": _number(after.core_at), "old": _number(before.core_at)}
        )
    if before.max_unknown != after.max_unknown:
        found.append(
            _(
                "A check has no verdict with more than %(new)s questions unanswered or answered "
                "“don't know” (was %(old)s)."
            )
            % {"new": after.max_unknown, "old": before.max_unknown}
        )
    if before.costly_core_yen != after.costly_core_yen:
        found.append(
            _("A core task is flagged as costly from %(new)s a year (was %(old)s).")
            % {"new": yen(after.costly_core_yen), "old": yen(before.costly_core_yen)}
        )
    return found


def _rule_name(position: int, rule: DecisionRule) -> dict[str, str]:
    return {
        "position": str(position),
        "outcome": choices.label(Outcome, rule.outcome),
        "conditions": conditions_words(rule.conditions),
    }


def rule_words(changes: Iterable[Change], versions: Versions) -> list[str]:
    """Each rule added, removed or changed, with its conditions in words. Rules are numbered
    as each version orders them: the first rule that applies decides."""
    old, new = versions.rows
    moved = _moved(list(old), list(new))
    found = []
    for change in changes:
        if change.kind == "added":
            found.append(
                _("New rule %(position)s: %(outcome)s when %(conditions)s.")
                % _rule_name(*new[change.code])
            )
        elif change.kind == "removed":
            found.append(
                _("Rule %(position)s is removed (%(outcome)s when %(conditions)s).")
                % _rule_name(*old[change.code])
            )
        else:
            found += _rule_changes(old[change.code], new[change.code], change.code in moved)
    return found


def _rule_changes(
    old: tuple[int, DecisionRule], new: tuple[int, DecisionRule], moved: bool
) -> list[str]:
    (old_position, old_rule), (position, rule) = old, new
    named = _rule_name(position, rule)
    found = []
    edits = _condition_edits(old_rule.conditions, rule.conditions)
    if edits:
        found.append(
            _("Rule %(position)s (%(outcome)s) changes its conditions: %(changes)s.")
            % {**named, "changes": listing(edits)}
        )
    elif old_rule.conditions != rule.conditions:
        found.append(
            _(
                "Rule %(position)s (%(outcome)s) now applies when %(conditions)s; before, "
                "when %(old)s."
            )
            % {**named, "old": conditions_words(old_rule.conditions)}
        )
    if old_rule.outcome != rule.outcome:
        found.append(
            _(
                "Rule %(position)s now recommends %(outcome)s instead of %(old)s, when "
                "%(conditions)s."
            )
            % {**named, "old": choices.label(Outcome, old_rule.outcome)}
        )
    if (old_rule.explanation_ja, old_rule.explanation_en) != (
        rule.explanation_ja,
        rule.explanation_en,
    ):
        found.append(
            _("Rule %(position)s (%(outcome)s) explains its recommendation anew: “%(text)s”")
            % {**named, "text": rule.explanation}
        )
    if moved:
        found.append(
            _(
                "The rule “%(outcome)s when %(conditions)s” moves from place %(old)s to place "
                "%(position)s; the rules are checked from the top."
            )
            % {**named, "old": old_position}
        )
    return found


def _condition_edits(before: Any, after: Any) -> list[str]:
    """The conditions that differ, when a rule keeps its groups and its conditions' attributes
    in order (“Expertise is 3 or more → Expertise is 4 or more”); [] when it does not, and
    the rule's conditions are best read whole."""
    try:
        old, new = conditions_from_json(before), conditions_from_json(after)
    except ValueError:
        return []
    if len(old) != len(new) or any(
        [c.attribute for c in a] != [c.attribute for c in b] for a, b in zip(old, new, strict=True)
    ):
        return []
    edits: list[str] = []
    for group_before, group_after in zip(old, new, strict=True):
        for was, now in zip(group_before, group_after, strict=True):
            edit = _("%(old)s → %(new)s") % {
                "old": condition_words(was),
                "new": condition_words(now),
            }
            if was != now and edit not in edits:
                edits.append(edit)
    return edits


def weight_words(changes: VersionChanges) -> list[str]:
    found = []
    for change in changes.weights:
        values = {
            "criterion": change.criterion,
            "new": _number(change.after),
            "old": _number(change.before),
        }
        if change.before is None:
            found.append(_("%(criterion)s now counts for %(new)s%% of a vendor's score.") % values)
        elif change.after is None:
            found.append(_("%(criterion)s no longer counts (was %(old)s%%).") % values)
        else:
            found.append(
                _("%(criterion)s now counts for %(new)s%% of a vendor's score (was %(old)s%%).")
                % values
            )
    return found


def readiness_words(
    changes: Iterable[Change], before: ReadinessVersion | None, after: ReadinessVersion | None
) -> list[str]:
    old: dict[str, ReadinessItem] = {i.code: i for i in before.items.all()} if before else {}
    new: dict[str, ReadinessItem] = {i.code: i for i in after.items.all()} if after else {}
    found = []
    for change in changes:
        if change.kind == "added":
            item = new[change.code]
            found.append(_("New item %(code)s “%(text)s”.") % _quoted(item.code, item.text))
        elif change.kind == "removed":
            item = old[change.code]
            found.append(_("Item %(code)s “%(text)s” is removed.") % _quoted(item.code, item.text))
        else:
            was, item = old[change.code], new[change.code]
            named = _quoted(item.code, item.text)
            if (was.text_ja, was.text_en) != (item.text_ja, item.text_en):
                found.append(
                    _("%(code)s is reworded: “%(new)s” (was “%(old)s”).")
                    % {"code": item.code, "new": item.text, "old": was.text}
                )
            if (was.help_ja, was.help_en) != (item.help_ja, item.help_en):
                found.append(_("%(code)s “%(text)s” has a new help text.") % named)
            if was.area != item.area:
                found.append(
                    _("%(code)s “%(text)s” moves to “%(new)s” (was “%(old)s”).")
                    % {**named, "new": item.get_area_display(), "old": was.get_area_display()}
                )
    return found


# --- what changes for each task --------------------------------------------------------------


@dataclass(frozen=True)
class TaskMove:
    """A task whose verdict or recommended model changes."""

    task: Task
    model_before: str  # the recommendation's label, "" while the check has no verdict
    model_after: str
    suitability_before: Decimal | None
    suitability_after: Decimal | None

    @property
    def model_changed(self) -> bool:
        return self.model_before != self.model_after


@dataclass(frozen=True)
class MoveGroup:
    """Tasks that change alike (the same verdict before and after, and the same recommended
    model before and after where it changes) for the same reasons, in words."""

    verdict_before: str
    verdict_after: str
    model_before: str  # "" for both where the group's tasks keep their models
    model_after: str
    reasons: tuple[str, ...]
    tasks: list[TaskMove] = field(default_factory=list)

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_before != self.verdict_after

    @property
    def model_changed(self) -> bool:
        return self.model_before != self.model_after


@dataclass(frozen=True)
class Versions:
    """Both sides' versions, their rows read once (two queries each)."""

    checklist: tuple[ChecklistVersion | None, ChecklistVersion]
    rules: tuple[RuleTableVersion | None, RuleTableVersion]
    criteria: tuple[dict[str, ChecklistCriterion], dict[str, ChecklistCriterion]]
    rows: tuple[dict[str, tuple[int, DecisionRule]], dict[str, tuple[int, DecisionRule]]]

    @classmethod
    def read(
        cls,
        checklist: tuple[ChecklistVersion | None, ChecklistVersion],
        rules: tuple[RuleTableVersion | None, RuleTableVersion],
    ) -> Versions:
        def criteria(version: ChecklistVersion | None) -> dict[str, ChecklistCriterion]:
            return {c.code: c for c in version.criteria.all()} if version else {}

        def rows(version: RuleTableVersion | None) -> dict[str, tuple[int, DecisionRule]]:
            listed = list(version.rules.all()) if version else []
            return {rule.code: (position, rule) for position, rule in enumerate(listed, 1)}

        return cls(
            checklist,
            rules,
            (criteria(checklist[0]), criteria(checklist[1])),
            (rows(rules[0]), rows(rules[1])),
        )


def _label(kind: Any, value: str) -> str:
    return choices.label(kind, value) if value else ""


def move_groups(
    changes: VersionChanges, versions: Versions, org: inventory.OrgSettings
) -> list[MoveGroup]:
    """The first `SHOWN_TASKS` tasks whose verdict or model changes, grouped by how and why,
    in the order of their first task."""
    groups: dict[tuple[Any, ...], MoveGroup] = {}
    for task, change in changes.tasks[:SHOWN_TASKS]:
        stored, computed = changes.results[change.key]
        reasons = tuple(_reasons(task, stored, computed, versions, org))
        before = _label(Outcome, change.before.model)
        after = _label(Outcome, change.after.model)
        models = (before, after) if before != after else ("", "")
        key = (change.before.verdict, change.after.verdict, *models, reasons)
        if key not in groups:
            groups[key] = MoveGroup(
                _label(Verdict, change.before.verdict),
                _label(Verdict, change.after.verdict),
                *models,
                reasons=reasons,
            )
        groups[key].tasks.append(
            TaskMove(task, before, after, change.before.suitability, change.after.suitability)
        )
    return list(groups.values())


def _reasons(
    task: Task,
    stored: TaskResult,
    computed: TaskResult,
    versions: Versions,
    org: inventory.OrgSettings,
) -> list[str]:
    reasons = []
    if stored.verdict != computed.verdict:
        reasons.append(_verdict_rule(computed, versions.checklist[1]))
        causes = _check_causes(stored, computed, versions)
        if causes:
            reasons.append(_("What changed: %(causes)s.") % {"causes": listing(causes)})
    if stored.model != computed.model:
        facts = {
            **task.attributes,
            "verdict": computed.verdict,
            "annual_hours": task.derive(org).annual_hours,
        }
        reasons += _rule_causes(stored, computed, versions, facts)
    return reasons


def _verdict_rule(result: TaskResult, version: ChecklistVersion) -> str:
    """The rule of the check that gives the new verdict, with the version's thresholds (the
    task's own score is shown beside it)."""
    answers = {code: answer for code, answer, _points in result.detail.get("contributions", [])}
    if result.verdict == "core" and answers.get("C1") == answers.get("C2") == "yes":
        return _(
            "It directly generates sales or profit and is a source of competitive advantage "
            "(both answered “yes”): the task is core whatever its score."
        )
    values = {
        "non_core": _number(version.non_core_at),
        "core": _number(version.core_at),
        "unknown": version.max_unknown,
    }
    rules = {
        "non_core": _("A suitability of %(non_core)s or more is non-core."),
        "core": _("A suitability of %(core)s or less is core."),
        "borderline": _(
            "A suitability between %(core)s and %(non_core)s is borderline: if the task is "
            "outsourced, start with a pilot."
        ),
        "incomplete": _(
            "With more than %(unknown)s questions unanswered or “don't know”, the check gives "
            "no verdict until they are answered."
        ),
    }
    return rules.get(result.verdict, "") % values


def _answered(result: TaskResult) -> set[str]:
    """The questions that counted in the result's suitability (answered, scoring)."""
    return {code for code, _answer, _points in result.detail.get("contributions", [])}


def _check_causes(stored: TaskResult, computed: TaskResult, versions: Versions) -> list[str]:
    """What in the checklist moved this task's verdict: the questions it answered whose weight
    or direction changed (or that were added or removed), and the thresholds."""
    old, new = versions.criteria
    causes = []
    for code in sorted(_answered(stored) | _answered(computed), key=lambda c: (len(c), c)):
        if code in new and code not in old:
            causes.append(_("%(code)s is new") % {"code": code})
        elif code in old and code not in new:
            causes.append(_("%(code)s is removed") % {"code": code})
        elif code in old and code in new:
            was, now = old[code], new[code]
            if was.weight != now.weight:
                causes.append(
                    _("%(code)s weighs %(new)s (was %(old)s)")
                    % {"code": code, "new": _number(now.weight), "old": _number(was.weight)}
                )
            if was.direction != now.direction:
                causes.append(
                    _("%(code)s counts as “%(new)s” (was “%(old)s”)")
                    % {
                        "code": code,
                        "new": choices.label(Direction, now.direction),
                        "old": choices.label(Direction, was.direction),
                    }
                )
    before, after = versions.checklist
    if before is not None:
        if before.non_core_at != after.non_core_at:
            causes.append(
                _("non-core from %(new)s (was %(old)s)")
                % {"new": _number(after.non_core_at), "old": _number(before.non_core_at)}
            )
        if before.core_at != after.core_at:
            causes.append(
                _("core up to %(new)s (was %(old)s)")
                % {"new": _number(after.core_at), "old": _number(before.core_at)}
            )
        if before.max_unknown != after.max_unknown:
            causes.append(
                _("no verdict with more than %(new)s unanswered (was %(old)s)")
                % {"new": after.max_unknown, "old": before.max_unknown}
            )
    return causes


def _rule_causes(
    stored: TaskResult, computed: TaskResult, versions: Versions, facts: dict[str, Any]
) -> list[str]:
    """Which rule decides now, in its words, and why the rule that decided before no longer
    does: removed, or the conditions of it this task does not meet now."""
    old, new = versions.rows
    reasons = []
    code = computed.detail.get("rule", "")
    if code in new:
        position, rule = new[code]
        text = explain.rule_text(rule.explanation, computed.detail)
        values = {"position": position, "outcome": choices.label(Outcome, rule.outcome)}
        if code in old:
            reasons.append(
                _("Rule %(position)s (%(outcome)s) now decides: %(text)s")
                % {**values, "text": text}
            )
        else:
            reasons.append(
                _("New rule %(position)s (%(outcome)s) decides: %(text)s")
                % {**values, "text": text}
            )
    elif not computed.model:
        reasons.append(_("No recommendation while the check has no verdict."))
    was = stored.detail.get("rule", "")
    if not was or was == code or was not in old:
        return reasons
    if was not in new:
        reasons.append(
            _("Rule %(position)s (%(outcome)s), which decided before, is removed.")
            % _rule_name(*old[was])
        )
        return reasons
    position, rule = new[was]
    missed = _missed(rule, facts)
    if missed:
        reasons.append(
            _(
                "Rule %(position)s (%(outcome)s), which decided before, now applies only when "
                "%(conditions)s; this task: %(facts)s."
            )
            % {
                **_rule_name(position, rule),
                "conditions": _(" and ").join(condition_words(c) for c in missed),
                "facts": listing(_fact(c.attribute, facts.get(c.attribute)) for c in missed),
            }
        )
    elif rule.outcome != old[was][1].outcome:
        reasons.append(
            _("Rule %(position)s, which decided before, now recommends %(outcome)s.")
            % _rule_name(position, rule)
        )
    return reasons


def _missed(rule: DecisionRule, facts: dict[str, Any]) -> list[cl.Condition]:
    """The conditions of the rule's nearest group (fewest unmet) that the task does not meet."""
    try:
        groups = conditions_from_json(rule.conditions)
    except ValueError:
        return []
    unmet = [[c for c in group if c.holds(facts) is not True] for group in groups]
    return min(unmet, key=len) if unmet else []


def _fact(attribute: str, value: Any) -> str:
    """“Expertise 3”: what the task has of an attribute a rule looks at."""
    if value is None or value == "":
        shown = _("not filled in")
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        shown = plain_number(Decimal(str(value)))
    else:
        shown = _value(attribute, value)
    return _("%(attribute)s %(value)s") % {"attribute": _attribute(attribute), "value": shown}


# --- the whole move --------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveWords:
    """Everything the versions page says about a move, in words."""

    names: list[tuple[str, str, bool]]  # (pinned, newest, whether they differ) of each kind
    criteria: list[str]
    rules: list[str]
    weights: list[str]
    readiness: list[str]
    groups: list[MoveGroup]
    shown_tasks: int  # in the groups: the first SHOWN_TASKS
    changed_tasks: int  # all of them
    verdicts: int  # tasks whose verdict changes
    models: int  # tasks whose recommended model changes


def move_words(
    changes: VersionChanges,
    pinned: PinnedVersions,
    newest: PinnedVersions,
    org: inventory.OrgSettings,
) -> MoveWords:
    """`changes` (`Assessment.version_changes(*newest)`) in words; `pinned`: the assessment's
    versions, its readiness checklist as `readiness_version_of` reads it; `org`: its working
    figures (the annual hours a rule may look at)."""
    assert newest.checklist is not None and newest.rules is not None
    versions = Versions.read((pinned.checklist, newest.checklist), (pinned.rules, newest.rules))
    sides = [
        (pinned.checklist, newest.checklist),
        (pinned.rules, newest.rules),
        (pinned.evaluation, newest.evaluation or pinned.evaluation),
        (pinned.readiness, newest.readiness or pinned.readiness),
    ]
    groups = move_groups(changes, versions, org)
    return MoveWords(
        names=[(version_name(a), version_name(b), a != b) for a, b in sides],
        criteria=criteria_words(changes.criteria, versions)
        + threshold_words(pinned.checklist, newest.checklist),
        rules=rule_words(changes.rules, versions),
        weights=weight_words(changes),
        readiness=readiness_words(
            changes.readiness, pinned.readiness, newest.readiness or pinned.readiness
        ),
        groups=groups,
        shown_tasks=sum(len(group.tasks) for group in groups),
        changed_tasks=len(changes.tasks),
        verdicts=sum(c.before.verdict != c.after.verdict for _t, c in changes.tasks),
        models=sum(c.before.model != c.after.model for _t, c in changes.tasks),
    )
