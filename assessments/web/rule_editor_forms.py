"""The form of one rule in the rule editor (issue 18): its code, model and explanations, and
its conditions as groups of pickers (field → operator → values), never as JSON.

The pickers post `g<group>-c<condition>-field`, `-operator` and `-value` (several for a
choice); the groups and conditions are read in the order of their numbers, so a removed one
simply is not posted. Adding or removing a group or a condition re-renders the form from what
was posted (`RuleEditor.apply`) without saving anything."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.domain import classification as cl
from assessments.domain import rule_editing
from assessments.domain.choices import Outcome
from assessments.domain.rule_editing import FIELDS, OPERATOR_LABELS, Field, Posted, Problem
from assessments.models.versions import DecisionRule, conditions_from_json
from outsourcing_advisor.common.wording import listing, plain_number

CONDITION_KEY = re.compile(r"^g(\d+)-c(\d+)-field$")
MOST_GROUPS, MOST_CONDITIONS = 20, 20  # per rule, per group: more is a mistake, not a rule


STALE = _(
    "Another administrator changed rule “%(code)s” since you opened it: nothing was saved. "
    "Check the rule as it is now (in the list), then save again to replace it with yours."
)


class RuleForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Letters, digits, “_” and “-”: the rule's name in reasons and the history."),
    )
    outcome = forms.ChoiceField(label=_("Recommended model"), choices=Outcome.choices)
    explanation_ja = forms.CharField(
        label=_("Explanation (Japanese)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    # What the rule held when the form was opened: a save over another administrator's
    # change is refused once (see RuleEditor.stale).
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


def fingerprint(rule: DecisionRule) -> str:
    held = [rule.code, rule.outcome, rule.conditions, rule.explanation_ja, rule.explanation_en]
    return hashlib.sha256(json.dumps(held, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class ConditionRow:
    """One condition's pickers: what is picked and, when refused, why."""

    prefix: str
    posted: Posted
    error: str = ""

    @property
    def group(self) -> int:
        return int(self.prefix.split("-")[0][1:])

    @property
    def index(self) -> int:
        return int(self.prefix.split("-")[1][1:])

    @property
    def field(self) -> Field | None:
        return FIELDS.get(self.posted.field)

    @property
    def fields(self) -> list[tuple[str, str]]:
        return [(name, f.label) for name, f in FIELDS.items()]

    @property
    def operators(self) -> list[tuple[str, str]]:
        f = self.field
        return [(op, f.operator_label(op)) for op in f.operators] if f else []

    @property
    def operator(self) -> str:
        """The operator shown as chosen: the posted one if the field takes it, else its first."""
        f = self.field
        if f is None:
            return ""
        return self.posted.operator if self.posted.operator in f.operators else f.operators[0]

    @property
    def choices(self) -> list[tuple[str, str, bool]]:
        """(value, label, ticked) of a choice or yes/no field."""
        f = self.field
        if f is None or f.kind == "number":
            return []
        return [(v, f.value_label(v), v in self.posted.values) for v in f.values]

    @property
    def number(self) -> str:
        return self.posted.values[0] if self.posted.values else ""


@dataclass
class RuleEditor:
    """A rule's form and condition groups, from a rule (GET) or from what was posted."""

    rule: DecisionRule | None
    form: RuleForm
    groups: list[list[ConditionRow]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the conditions', naming rule and condition
    conditions: list[list[cl.Condition]] = field(default_factory=list)  # read by is_valid
    stale: bool = False  # the rule changed since the form was opened

    @classmethod
    def of(cls, rule: DecisionRule | None) -> RuleEditor:
        if rule is None:
            return cls(None, RuleForm(initial={"outcome": Outcome.BPO}), [[_row(0, 0, Posted())]])
        try:
            groups = conditions_from_json(rule.conditions)
        except ValueError:
            groups = ()  # unreadable (edited elsewhere): shown as none, saving replaces them
        initial = {
            "code": rule.code,
            "outcome": rule.outcome,
            "explanation_ja": rule.explanation_ja,
            "explanation_en": rule.explanation_en,
            "seen": fingerprint(rule),
        }
        rows = [
            [_row(g, c, rule_editing.editable(cond)) for c, cond in enumerate(group)]
            for g, group in enumerate(groups)
        ]
        return cls(rule, RuleForm(initial=initial), rows)

    @classmethod
    def posted(cls, rule: DecisionRule | None, data: QueryDict) -> RuleEditor:
        found: dict[int, dict[int, Posted]] = {}
        for key in data:
            match = CONDITION_KEY.match(key)
            if match:
                g, c = int(match[1]), int(match[2])
                prefix = f"g{g}-c{c}"
                found.setdefault(g, {})[c] = Posted(
                    data.get(key, ""),
                    data.get(f"{prefix}-operator", ""),
                    tuple(data.getlist(f"{prefix}-value")),
                )
        groups = [
            [_row(g, c, found[gk][ck]) for c, ck in enumerate(sorted(found[gk]))]
            for g, gk in enumerate(sorted(found)[:MOST_GROUPS])
        ]
        return cls(rule, RuleForm(data), [rows[:MOST_CONDITIONS] for rows in groups])

    def apply(self, action: str) -> None:
        """add_group, add_condition:<g>, remove_condition:<g>:<c>, remove_group:<g>: the form
        changed as asked, nothing saved."""
        name, *places = action.split(":")
        try:
            at = [int(p) for p in places]
        except ValueError:
            return
        if name == "add_group" and len(self.groups) < MOST_GROUPS:
            self.groups.append([_row(0, 0, Posted())])
        elif name == "add_condition" and at and 0 <= at[0] < len(self.groups):
            if len(self.groups[at[0]]) < MOST_CONDITIONS:
                self.groups[at[0]].append(_row(0, 0, Posted()))
        elif name == "remove_group" and at and 0 <= at[0] < len(self.groups):
            del self.groups[at[0]]
        elif name == "remove_condition" and len(at) == 2 and 0 <= at[0] < len(self.groups):
            rows = self.groups[at[0]]
            if 0 <= at[1] < len(rows):
                del rows[at[1]]
            if not rows:
                del self.groups[at[0]]
        self._renumber()

    def _renumber(self) -> None:
        self.groups = [
            [_row(g, c, row.posted) for c, row in enumerate(rows)]
            for g, rows in enumerate(self.groups)
        ]

    def is_valid(self) -> bool:
        """Every condition read and the form's fields clean; each refusal is a message that
        names the rule and the condition, and the condition's row says it too."""
        valid = self.form.is_valid()
        name = self.form.data.get("code", "").strip() or (self.rule.code if self.rule else "")
        self.conditions = []
        for g, rows in enumerate(self.groups):
            read = []
            for c, row in enumerate(rows):
                found = rule_editing.read_condition(row.posted)
                if isinstance(found, Problem):
                    row.error = problem_words(found, row.posted)
                    self.errors.append(_where(name, g, c, len(self.groups)) + row.error)
                else:
                    read.append(found)
            self.conditions.append(read)
        if self.rule is not None and valid:
            seen = self.form.cleaned_data.get("seen", "")
            self.stale = bool(seen) and seen != fingerprint(self.rule)
            if self.stale:
                self.errors.append(STALE % {"code": self.rule.code})
        return valid and not self.errors and not self.stale

    def values(self) -> dict[str, Any]:
        """What the owner (RuleTableVersion.add_rule / save_rule) is given."""
        data = self.form.cleaned_data
        return {
            "code": data["code"],
            "outcome": data["outcome"],
            "explanation_ja": data["explanation_ja"].strip(),
            "explanation_en": data["explanation_en"].strip(),
            "conditions": [
                [rule_editing.condition_json(c) for c in group]
                for group in self.conditions
                if group
            ],
        }

    def restamp(self) -> None:
        """After a refused stale save: the next save knowingly replaces the rule as it is now."""
        if self.rule is not None:
            data = self.form.data.copy()
            data["seen"] = fingerprint(self.rule)
            self.form = RuleForm(data)
            self.form.is_valid()


def _row(g: int, c: int, posted: Posted) -> ConditionRow:
    return ConditionRow(f"g{g}-c{c}", posted)


def _where(name: str, g: int, c: int, groups: int) -> str:
    rule = gettext("Rule “%(code)s”") % {"code": name} if name else gettext("The new rule")
    if groups > 1:
        return gettext("%(rule)s, group %(group)s, condition %(condition)s: ") % {
            "rule": rule,
            "group": g + 1,
            "condition": c + 1,
        }
    return gettext("%(rule)s, condition %(condition)s: ") % {"rule": rule, "condition": c + 1}


def problem_words(problem: Problem, posted: Posted) -> str:
    """Why a condition is refused, in the reader's language, naming the field."""
    f = FIELDS.get(posted.field)
    label = f.label if f else posted.field
    if problem.code == "no_field":
        return gettext("choose a field.")
    if problem.code == "unknown_field":
        return gettext("“%(field)s” is not a field a rule can look at.") % {"field": label}
    assert f is not None  # every other problem is about a known field
    if problem.code == "operator_not_valid":
        if not posted.operator:
            return gettext("choose how to compare %(field)s.") % {"field": label}
        return gettext("%(field)s cannot be compared with “%(operator)s”: use %(operators)s.") % {
            "field": label,
            "operator": _operator_name(posted.operator),
            "operators": listing(
                gettext("“%(value)s”") % {"value": f.operator_label(op)} for op in f.operators
            ),
        }
    if problem.code == "no_value":
        if f.kind == "number":
            return gettext("enter a number for %(field)s.") % {"field": label}
        if f.kind == "yes_no":
            return gettext("choose %(field)s: one of the two.") % {"field": label}
        return gettext("tick at least one value of %(field)s.") % {"field": label}
    if problem.code == "several_values":
        return gettext("%(field)s takes one value.") % {"field": label}
    if problem.code == "unknown_value":
        return gettext("“%(value)s” is not a value of %(field)s.") % {
            "value": problem.detail,
            "field": label,
        }
    if problem.code == "not_a_number":
        return gettext("“%(value)s” is not a number.") % {"value": problem.detail}
    if problem.code == "not_whole":
        return gettext("%(field)s takes whole numbers, not “%(value)s”.") % {
            "field": label,
            "value": problem.detail,
        }
    if problem.code == "out_of_range":
        return gettext("%(field)s goes from %(low)s to %(high)s, not “%(value)s”.") % {
            "field": label,
            "low": plain_number(f.minimum) if f.minimum is not None else "—",
            "high": plain_number(f.maximum) if f.maximum is not None else "—",
            "value": problem.detail,
        }
    return problem.code


def _operator_name(operator: str) -> str:
    for labels in OPERATOR_LABELS.values():
        if operator in labels:
            return str(labels[operator])
    return operator
