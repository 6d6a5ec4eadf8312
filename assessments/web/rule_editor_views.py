"""The decision table's editor in the administrators' area (issue 18): a draft's rules as an
ordered list in words; a rule edited with pickers (field → operator → values), never as
JSON; the rules reordered by dragging or with up/down buttons; and beside them, after every
change, the inputs no rule decides and the rules that can never fire (SPEC 4.4).

A published version is shown in words, read-only. Drafts are started, discarded and published
by administration_views.py; every change of a draft goes through its one owner,
assessments/models/drafts.py (`save_draft`), which records it in the history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from assessments.domain import classification as cl
from assessments.domain import rule_editing
from assessments.domain.choices import Outcome, label
from assessments.domain.rule_editing import Posted, TableCheck
from assessments.models.drafts import RowEdit, draft_events, save_draft
from assessments.models.versions import DecisionRule, RuleTableVersion, Status, conditions_from_json
from assessments.reporting.explain import FACTORS
from assessments.reporting.version_words import condition_words
from assessments.web import administration_views as area
from assessments.web.access import administrators_only
from assessments.web.rule_editor_forms import ConditionRow, RuleEditor
from outsourcing_advisor.common.stamps import atomic_post, lock_parent
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history import display as history_display

KIND = "decision-table"  # administration_views.KINDS: publishing, starting, discarding
PREFIX = re.compile(r"^g\d{1,2}-c\d{1,2}$")  # a condition's pickers: g<group>-c<condition>
SCOPE = re.compile(r"^(new|\d{1,10})$")  # whose form: a rule's id, or the new rule's
SHOWN_EVENTS = 30


def _version(version_pk: int) -> RuleTableVersion:
    """Any rule table, published or draft: administrators read them all."""
    return get_object_or_404(RuleTableVersion, pk=version_pk)


def _draft(version_pk: int) -> RuleTableVersion:
    """A draft: a published version is never edited (404)."""
    return get_object_or_404(RuleTableVersion.objects.filter(status=Status.DRAFT), pk=version_pk)


def _rule(version: RuleTableVersion, rule_pk: int) -> DecisionRule:
    return get_object_or_404(version.rules.all(), pk=rule_pk)


# --- what the page shows ------------------------------------------------------------------------


@dataclass
class RuleCard:
    """One rule in words, with what the check found about it."""

    rule: DecisionRule
    number: int
    groups: list[str]  # each group's conditions in words; [] for the catch-all
    readable: bool = True
    never: str = ""  # why it can never fire
    dead: list[str] = field(default_factory=list)  # its groups that never apply, and why

    @property
    def outcome(self) -> str:
        return label(Outcome, self.rule.outcome)

    @property
    def explanation(self) -> str:
        """The explanation in the reader's language, its placeholder said in words: a task's
        reason names the fields there (explain.rule_text)."""
        return self.rule.explanation.replace(FACTORS, _("[the fields that matched]"))

    @property
    def fills_factors(self) -> bool:
        """Whether its explanation has the placeholder, which the page then explains."""
        return FACTORS in self.rule.explanation


def _groups_words(rule: DecisionRule) -> tuple[list[str], bool]:
    """Each group's conditions in words, joined by “and”; whether the conditions could be
    read at all."""
    try:
        groups = conditions_from_json(rule.conditions)
    except ValueError:
        return [], False
    return [_(" and ").join(condition_words(c) for c in group) for group in groups], True


def _table_check(version: RuleTableVersion, rules: list[DecisionRule]) -> TableCheck:
    try:
        table = cl.RuleTable(tuple(rule.as_domain() for rule in rules))
    except (TypeError, ValueError) as error:
        return TableCheck((f"malformed_conditions:{error}",), checked=False)
    return rule_editing.check_table(table)


def _named(codes: tuple[str, ...], numbers: dict[str, int]) -> str:
    return listing(
        _("%(number)s “%(code)s”") % {"number": numbers.get(code, "?"), "code": code}
        for code in codes
    )


def _cards(rules: list[DecisionRule], check: TableCheck) -> list[RuleCard]:
    numbers = {rule.code: n for n, rule in enumerate(rules, start=1)}
    never = {n.code: n for n in check.never_fire}
    cards = []
    for number, rule in enumerate(rules, start=1):
        groups, readable = _groups_words(rule)
        card = RuleCard(rule, number, groups, readable)
        if rule.code in never:
            taken = never[rule.code].taken_by
            card.never = (
                ngettext(
                    "Rule %(rules)s decides every task it would.",
                    "Rules %(rules)s decide every task it would.",
                    len(taken),
                )
                % {"rules": _named(taken, numbers)}
                if taken
                else _("Its conditions can never all hold at once.")
            )
        for dead in check.dead_alternatives:
            if dead.code == rule.code:
                card.dead.append(_dead_words(dead, numbers))
        cards.append(card)
    return cards


def _dead_words(dead: rule_editing.DeadAlternative, numbers: dict[str, int]) -> str:
    group = dead.index + 1
    if not dead.taken_by:
        return _("Group %(group)s never applies: its conditions contradict each other.") % {
            "group": group
        }
    return ngettext(
        "Group %(group)s never applies: rule %(rules)s decides every task it would.",
        "Group %(group)s never applies: rules %(rules)s decide every task it would.",
        len(dead.taken_by),
    ) % {"group": group, "rules": _named(dead.taken_by, numbers)}


def _context(version: RuleTableVersion, **extra: Any) -> dict[str, Any]:
    rules = list(version.rules.all())
    check = _table_check(version, rules)
    cards = _cards(rules, check)
    return {
        "section": KIND,
        "version": version,
        "editable": not version.is_published,
        "cards": cards,
        "check": check,
        "problems": [version.problem_message(p) for p in check.problems],
        "gaps": [_(" and ").join(condition_words(c) for c in gap) for gap in check.gaps],
        "never_cards": [card for card in cards if card.never],
        "dead_cards": [card for card in cards if card.dead],
        **extra,
    }


# --- the pages ----------------------------------------------------------------------------------


@administrators_only
@require_GET
def rule_tables(request: HttpRequest) -> HttpResponse:
    """The decision table's versions: the open draft, the published ones (each readable in
    words) and starting a draft, as for every kind of version."""
    summary = area.kind_summary(area.KINDS[KIND])
    return render(request, "administration/rules.html", {"section": KIND, "summary": summary})


@administrators_only
@require_GET
def rule_table(request: HttpRequest, version_pk: int) -> HttpResponse:
    """A draft's editor, or a published version in words."""
    return _page(request, _version(version_pk))


def _page(
    request: HttpRequest, version: RuleTableVersion, status: int = 200, **extra: Any
) -> HttpResponse:
    events = draft_events(version).select_related("actor").order_by("-id")[:SHOWN_EVENTS]
    context = _context(version, history=history_display.rows(events), **extra)
    return render(request, "administration/rules_table.html", context, status=status)


def _changed(request: HttpRequest, version: RuleTableVersion, notice: str) -> HttpResponse:
    """After a change: the list again with the check beside it (htmx), or the page."""
    if not request.htmx:
        messages.success(request, notice)
        return redirect("administration_rules_draft", version.pk)
    context = _context(version, notice=notice, oob=True)
    response = render(request, "administration/_rules_list.html", context)
    return reswap(retarget(response, "#rule-list"), "outerHTML")


def _refused(
    request: HttpRequest, version: RuleTableVersion, error: ValidationError
) -> HttpResponse:
    if not request.htmx:
        messages.error(request, " ".join(error.messages))
        return redirect("administration_rules_draft", version.pk)
    context = _context(version, notice=" ".join(error.messages), refused=True, oob=True)
    response = render(request, "administration/_rules_list.html", context)
    return reswap(retarget(response, "#rule-list"), "outerHTML")


def _save(
    request: HttpRequest,
    version: RuleTableVersion,
    notice: str,
    rows: list[RowEdit],
    removed: list[DecisionRule] | None = None,
) -> HttpResponse:
    try:
        save_draft(version, request.user, fields={}, rows=rows, removed=removed or [])
    except ValidationError as error:  # published meanwhile
        return _refused(request, version, error)
    return _changed(request, version, notice)


def _renumbered(rules: list[DecisionRule]) -> list[RowEdit]:
    """The rules numbered 0, 1, 2… in this order: an edit for each one that moves."""
    return [RowEdit(rule, {"order": n}) for n, rule in enumerate(rules) if rule.order != n]


def _form(
    request: HttpRequest, version: RuleTableVersion, editor: RuleEditor, status: int = 200
) -> HttpResponse:
    """The rule's form in place of its card (htmx), or the page with the form in it."""
    if request.htmx:
        context = {"version": version, "editor": editor, "editable": True}
        return render(request, "administration/_rule_form.html", context, status=status)
    return _page(request, version, status, editing=editor, editor=editor)


@administrators_only
@atomic_post
def rule_edit(request: HttpRequest, version_pk: int, rule_pk: int) -> HttpResponse:
    """A rule's form (GET); a picker added or removed (POST with an action); its save."""
    version = _draft(version_pk)
    if request.method == "POST":
        lock_parent(version)  # two saves of the rule: the second reads what the first saved
    rule = _rule(version, rule_pk)
    if request.method != "POST":
        return _form(request, version, RuleEditor.of(rule))
    editor = RuleEditor.posted(rule, request.POST)
    action = request.POST.get("action", "save")
    if action != "save":
        editor.apply(action)
        return _form(request, version, editor)
    if not editor.is_valid() or _code_taken(version.rules.all(), editor):
        if editor.stale:  # the next save knowingly replaces the other administrator's change
            editor.restamp()
        return _form(request, version, editor)
    notice = _("Rule “%(code)s” saved.") % {"code": editor.values()["code"]}
    return _save(request, version, notice, [RowEdit(rule, editor.values())])


@administrators_only
@atomic_post
def rule_add(request: HttpRequest, version_pk: int) -> HttpResponse:
    """A new rule: placed before the catch-all when the table ends with one (a rule after it
    could never fire), else last."""
    version = _draft(version_pk)
    if request.method != "POST":
        return _form(request, version, RuleEditor.of(None))
    lock_parent(version)
    editor = RuleEditor.posted(None, request.POST)
    action = request.POST.get("action", "save")
    if action != "save":
        editor.apply(action)
        return _form(request, version, editor)
    if not editor.is_valid() or _code_taken(version.rules.all(), editor):
        return _form(request, version, editor)
    rules = list(version.rules.all())
    at = len(rules) - 1 if rules and not rules[-1].conditions else len(rules)
    new = DecisionRule(order=at)
    values = {"order": at, **editor.values()}
    notice = _("Rule “%(code)s” added.") % {"code": values["code"]}
    moved = _renumbered([*rules[:at], new, *rules[at:]])
    return _save(request, version, notice, [RowEdit(new, values), *moved])


def _code_taken(rules: QuerySet[DecisionRule], editor: RuleEditor) -> bool:
    code = editor.form.cleaned_data["code"]
    if rules.filter(code=code).exclude(pk=getattr(editor.rule, "pk", None)).exists():
        editor.form.add_error(
            "code", _("Another rule of this table has the code “%(code)s”.") % {"code": code}
        )
        return True
    return False


@administrators_only
@require_POST
@atomic_post
def rule_delete(request: HttpRequest, version_pk: int, rule_pk: int) -> HttpResponse:
    version = _draft(version_pk)
    lock_parent(version)
    rule = _rule(version, rule_pk)
    rest = [r for r in version.rules.all() if r.pk != rule.pk]
    notice = _("Rule “%(code)s” deleted.") % {"code": rule.code}
    return _save(request, version, notice, _renumbered(rest), [rule])


@administrators_only
@require_POST
@atomic_post
def rules_order(request: HttpRequest, version_pk: int) -> HttpResponse:
    """The rules in the order posted (`rule`, each once: dragged), or one moved up or down
    (`move` = "<id>:up" or "<id>:down", the buttons); an order made before another
    administrator added or removed a rule is refused."""
    version = _draft(version_pk)
    lock_parent(version)
    rules = {rule.pk: rule for rule in version.rules.all()}
    posted = [int(pk) for pk in request.POST.getlist("rule") if pk.isdigit()]
    order = posted or list(rules)
    if sorted(order) != sorted(rules):
        return _refused(
            request,
            version,
            ValidationError(
                _(
                    "The rules have changed since this page was opened: here they are as they "
                    "are now."
                )
            ),
        )
    moved = _moved(order, request.POST.get("move", ""))
    rows = _renumbered([rules[pk] for pk in moved])
    notice = _("The order was saved.") if rows else _("The order is unchanged.")
    return _save(request, version, notice, rows)


def _moved(order: list[int], move: str) -> list[int]:
    pk, _sep, direction = move.partition(":")
    if not pk.isdigit() or int(pk) not in order or direction not in ("up", "down"):
        return order
    at = order.index(int(pk))
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
    return order


@administrators_only
@require_GET
def rule_condition(request: HttpRequest, version_pk: int) -> HttpResponse:
    """One condition's pickers again for the field just chosen: its operators and values
    (htmx). Values picked for a field of another kind are dropped."""
    version = _draft(version_pk)
    prefix = request.GET.get("prefix", "")
    if not PREFIX.match(prefix):
        prefix = "g0-c0"
    chosen = request.GET.get(f"{prefix}-field", "")
    values = tuple(request.GET.getlist(f"{prefix}-value"))
    field = rule_editing.FIELDS.get(chosen)
    if field is None or request.GET.get(f"{prefix}-kind", "") != field.kind:
        values = ()
    row = ConditionRow(prefix, Posted(chosen, request.GET.get(f"{prefix}-operator", ""), values))
    scope = request.GET.get("scope", "")
    context = {"version": version, "row": row, "scope": scope if SCOPE.match(scope) else "new"}
    return render(request, "administration/_rule_condition.html", context)
