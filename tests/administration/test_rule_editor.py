"""The decision table's editor (issue 18): an administrator edits a draft's rules with pickers
(no JSON), reorders them, and sees after every change which tasks no rule decides and which
rules can never fire. Published versions are read-only; every change is in the history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.domain import classification as cl
from assessments.domain import defaults, rule_editing
from assessments.domain.rule_editing import Posted, Problem
from assessments.models.versions import DecisionRule, RuleTableVersion
from assessments.reporting.version_words import condition_words
from outsourcing_advisor.history.models import Action, Event, SubjectType

# --- the fields, their operators and the words of a condition (pure) ---------------------------


@pytest.mark.parametrize(
    ("field", "kind", "operators"),
    [
        ("category", "choice", ("in", "not_in")),
        ("verdict", "choice", ("in", "not_in")),
        ("judgment", "choice", ("in", "not_in")),
        ("direct_instruction", "yes_no", ("eq", "ne")),
        ("deliverable_clear", "yes_no", ("eq", "ne")),
        ("on_site", "yes_no", ("eq", "ne")),
        ("expertise", "number", ("ge", "gt", "le", "lt", "eq", "ne")),
        ("annual_hours", "number", ("ge", "gt", "le", "lt", "eq", "ne")),
    ],
)
def test_each_field_offers_the_operators_of_its_kind(field, kind, operators):
    assert rule_editing.FIELDS[field].kind == kind
    assert rule_editing.FIELDS[field].operators == operators


def test_every_attribute_a_rule_may_use_is_a_field_with_a_label():
    assert set(rule_editing.FIELDS) == set(cl.ATTRIBUTES)
    with translation.override("ja"):
        assert (
            rule_editing.FIELDS["expertise"].label == "必要な専門性"
        )  # as the inventory names it (QA 9)
        assert rule_editing.FIELDS["category"].value_label("analysis") != "analysis"
    expertise = rule_editing.FIELDS["expertise"]
    assert (expertise.minimum, expertise.maximum, expertise.whole) == (1, 5, True)


@pytest.mark.parametrize(
    ("condition", "english", "japanese"),
    [
        (
            cl.Condition("category", "in", ("analysis", "planning")),
            "Category is “Analysis, research and reporting” or “Planning and strategy”",
            "業務区分が「分析・調査・レポーティング」または「企画・戦略」のいずれか",
        ),
        (
            cl.Condition("expertise", "ge", Decimal(3)),
            "Skill the work needs is 3 or more",
            "必要な専門性が3以上",
        ),
        (cl.Condition("annual_hours", "lt", Decimal(40)), None, "年間工数（時間）が40未満"),
        (cl.Condition("verdict", "eq", "core"), "Verdict is “Core”", "判定が「コア」"),
        (cl.Condition("standardizable", "ne", "yes"), None, "標準化が「可」以外"),
    ],
)
def test_a_condition_in_words(condition, english, japanese):
    if english:
        with translation.override("en"):
            assert condition_words(condition) == english
    with translation.override("ja"):
        assert condition_words(condition) == japanese


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        # A choice: one value is stored as eq / ne, several as in / not_in, in the field's order.
        (Posted("category", "in", ("it",)), cl.Condition("category", "eq", "it")),
        (Posted("category", "not_in", ("it",)), cl.Condition("category", "ne", "it")),
        (
            Posted("category", "in", ("planning", "analysis")),
            cl.Condition("category", "in", ("analysis", "planning")),
        ),
        (
            Posted("direct_instruction", "eq", ("yes",)),
            cl.Condition("direct_instruction", "eq", "yes"),
        ),
        (Posted("expertise", "ge", ("３",)), cl.Condition("expertise", "ge", Decimal(3))),
        (
            Posted("annual_hours", "lt", ("1,200.5",)),
            cl.Condition("annual_hours", "lt", Decimal("1200.5")),
        ),
        # Refused, with why.
        (Posted("", "in", ("it",)), Problem("no_field")),
        (Posted("colour", "in", ("red",)), Problem("unknown_field", "colour")),
        (Posted("category", "ge", ("it",)), Problem("operator_not_valid", "ge")),
        (Posted("expertise", "in", ("3",)), Problem("operator_not_valid", "in")),
        (Posted("category", "in", ()), Problem("no_value")),
        (Posted("expertise", "ge", ("  ",)), Problem("no_value")),
        (Posted("category", "in", ("robots",)), Problem("unknown_value", "robots")),
        (Posted("on_site", "eq", ("yes", "no")), Problem("several_values")),
        (Posted("expertise", "ge", ("three",)), Problem("not_a_number", "three")),
        (Posted("expertise", "ge", ("2.5",)), Problem("not_whole", "2.5")),
        (Posted("expertise", "ge", ("7",)), Problem("out_of_range", "7")),
        (Posted("annual_hours", "ge", ("-1",)), Problem("out_of_range", "-1")),
    ],
)
def test_a_condition_as_the_pickers_post_it(posted, expected):
    assert rule_editing.read_condition(posted) == expected


@pytest.mark.parametrize(
    ("condition", "posted"),
    [
        (cl.Condition("category", "eq", "it"), Posted("category", "in", ("it",))),
        (
            cl.Condition("category", "not_in", ("it", "hr")),
            Posted("category", "not_in", ("it", "hr")),
        ),
        (cl.Condition("on_site", "in", ("yes",)), Posted("on_site", "eq", ("yes",))),
        (cl.Condition("expertise", "ge", Decimal("3.0")), Posted("expertise", "ge", ("3",))),
    ],
)
def test_a_stored_condition_fills_the_pickers(condition, posted):
    """…and the pickers, saved unchanged, hold for exactly the same tasks."""
    assert rule_editing.editable(condition) == posted
    again = rule_editing.read_condition(posted)
    assert isinstance(again, cl.Condition)
    field = rule_editing.FIELDS[condition.attribute]
    values = field.values or tuple(Decimal(n) for n in range(1, 6))
    for value in values:
        facts = {condition.attribute: value}
        assert again.holds(facts) == condition.holds(facts), value


# --- the table as a whole (pure) -----------------------------------------------------------


def rule(code: str, outcome: str, *groups: tuple[cl.Condition, ...]) -> cl.Rule:
    return cl.Rule(code, outcome, tuple(groups))


IT = cl.Condition("category", "eq", "it")


def test_the_default_table_decides_every_task_and_every_rule_fires():
    check = rule_editing.check_table(defaults.RULES)
    assert check.checked and check.problems == ()
    assert (check.gap_count, check.never_fire, check.dead_alternatives) == (0, (), ())


def test_without_its_catch_all_the_table_leaves_tasks_undecided():
    check = rule_editing.check_table(cl.RuleTable(defaults.RULES.rules[:-1]))
    assert check.problems == ("no_catch_all",) and check.checked
    assert check.gap_count == 3
    first = {c.attribute: c for c in check.gaps[0]}
    assert first["continuity"] == cl.Condition("continuity", "eq", "ongoing")
    assert first["category"] == cl.Condition(
        "category", "not_in", ("it", "analysis", "legal_expert")
    )
    assert first["expertise"] == cl.Condition("expertise", "le", Decimal(3))


def test_a_rule_after_one_that_takes_all_it_would_never_fires():
    rules = list(defaults.RULES.rules)
    rules.insert(1, rule("all_it", "ito", (IT,)))
    check = rule_editing.check_table(cl.RuleTable(tuple(rules)))
    assert check.never_fire == (rule_editing.NeverFires("it_operation_ito", ("all_it",)),)
    # The slow check tries each combination and agrees.
    assert cl.coverage(cl.RuleTable(tuple(rules))).never_fire == ("it_operation_ito",)


def test_a_rule_taken_by_several_earlier_rules_names_them_all():
    expert, simple = cl.Condition("expertise", "ge", 3), cl.Condition("expertise", "le", 2)
    table = cl.RuleTable(
        (
            rule("expert_it", "kpo", (IT, expert)),
            rule("simple_it", "bpo", (IT, simple)),
            rule("any_it", "ito", (IT,)),
            rule("rest", "bpo"),
        )
    )
    check = rule_editing.check_table(table)
    assert check.never_fire == (rule_editing.NeverFires("any_it", ("expert_it", "simple_it")),)


def test_contradicting_conditions_and_a_shadowed_group_are_found():
    table = cl.RuleTable(
        (
            rule("it", "ito", (IT,)),
            rule(
                "never",
                "kpo",
                (cl.Condition("expertise", "ge", 4), cl.Condition("expertise", "le", 2)),
            ),
            rule("half", "kpo", (IT,), (cl.Condition("expertise", "ge", 4),)),
            rule("rest", "bpo"),
        )
    )
    check = rule_editing.check_table(table)
    assert check.never_fire == (rule_editing.NeverFires("never", ()),)
    assert check.dead_alternatives == (rule_editing.DeadAlternative("half", 0, ("it",)),)
    assert cl.coverage(table).never_fire == ("never",)


def test_numbers_are_cut_where_the_rules_cut_them():
    table = cl.RuleTable(
        (
            rule("small", "crowdsourcing", (cl.Condition("annual_hours", "lt", 40),)),
            rule("large", "bpo", (cl.Condition("annual_hours", "gt", 40),)),
        )
    )
    check = rule_editing.check_table(table)
    assert check.gaps == ((cl.Condition("annual_hours", "eq", Decimal(40)),),)


def test_a_table_that_cannot_be_evaluated_is_not_checked():
    table = cl.RuleTable((rule("odd", "bpo", (cl.Condition("category", "ge", "it"),)),))
    check = rule_editing.check_table(table)
    assert not check.checked and "ordering_on_enumeration:odd:category" in check.problems


# --- the pages ---------------------------------------------------------------------------------


def page_url(version: RuleTableVersion) -> str:
    return reverse("administration_rules_draft", args=[version.pk])


def edit_url(found: DecisionRule) -> str:
    return reverse("administration_rule_edit", args=[found.version_id, found.pk])


def order_url(version: RuleTableVersion) -> str:
    return reverse("administration_rules_order", args=[version.pk])


def codes(version: RuleTableVersion) -> list[str]:
    return list(version.rules.values_list("code", flat=True))


def kpo_form(**changes: Any) -> dict[str, Any]:
    """The KPO rule as its form posts it, with `changes`."""
    data: dict[str, Any] = {
        "code": "knowledge_work_kpo",
        "outcome": "kpo",
        "explanation_ja": "知的業務のためKPOが適しています。",
        "explanation_en": "Knowledge work: KPO fits.",
        "g0-c0-field": "category",
        "g0-c0-operator": "in",
        "g0-c0-value": ["analysis", "legal_expert", "planning"],
        "g0-c1-field": "expertise",
        "g0-c1-operator": "ge",
        "g0-c1-value": "3",
        "action": "save",
    }
    data.update(changes)
    return data


def rule_events(version: RuleTableVersion) -> list[Event]:
    return list(
        Event.objects.filter(subject_type=SubjectType.RULE, details__version=version.pk).order_by(
            "id"
        )
    )


def every_url(version: RuleTableVersion) -> list[str]:
    first = version.rules.first()
    return [
        reverse("administration_rules"),
        page_url(version),
        reverse("administration_rule_add", args=[version.pk]),
        edit_url(first),
        reverse("administration_rule_delete", args=[version.pk, first.pk]),
        order_url(version),
        reverse("administration_rule_condition", args=[version.pk]),
    ]


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client, rules_draft):
    for url in every_url(rules_draft):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.django_db
def test_members_who_are_not_staff_get_404_and_change_nothing(manager_client, rules_draft):
    before = list(rules_draft.rules.values())
    for url in every_url(rules_draft):
        assert manager_client.get(url).status_code == 404, url
        assert manager_client.post(url, kpo_form()).status_code == 404, url
    assert list(rules_draft.rules.values()) == before


@pytest.mark.django_db
def test_an_administrator_sees_the_rules_in_words_and_no_json(aoki_client, rules_draft):
    response = aoki_client.get(page_url(rules_draft))
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "Category is “Analysis, research and reporting” or “Legal, patents and specialist work”"
        in text
    )
    assert "Skill the work needs is 3 or more" in text
    assert "[[" not in text and '"eq"' not in text and "&quot;eq&quot;" not in text
    assert reverse("administration_publish", args=["decision-table", rules_draft.pk]) in text
    new = aoki_client.get(reverse("administration_rule_add", args=[rules_draft.pk]))
    assert new.status_code == 200 and 'name="g0-c0-field"' in new.content.decode()
    listing = aoki_client.get(reverse("administration_rules")).content.decode()
    assert page_url(rules_draft) in listing


@pytest.mark.django_db
def test_the_form_shows_pickers_not_json(aoki_client, rules_draft):
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    text = aoki_client.get(edit_url(kpo)).content.decode()
    assert 'name="g0-c0-field"' in text and 'name="g1-c2-operator"' in text
    assert 'type="checkbox" name="g0-c0-value" value="analysis"' in text
    assert "[[" not in text and "conditions" not in text.split('name="')[1:]


@pytest.mark.django_db
def test_editing_a_rule_saves_its_conditions_and_records_it(aoki_client, rules_draft):
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    response = aoki_client.post(edit_url(kpo), kpo_form(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Retarget"] == "#rule-list"
    kpo.refresh_from_db()
    assert kpo.conditions == [
        [["category", "in", ["analysis", "legal_expert", "planning"]], ["expertise", "ge", 3]]
    ]
    assert kpo.explanation_en == "Knowledge work: KPO fits."
    event = rule_events(rules_draft)[-1]
    assert (event.action, event.subject_id, event.actor.username) == (
        Action.CHANGED,
        kpo.pk,
        "aoki",
    )
    assert {c["field"] for c in event.changes} == {"conditions", "explanation_ja", "explanation_en"}
    check = response.content.decode().split('<section id="rule-check"')[1].split(">")[0]
    assert 'hx-swap-oob="true"' in check
    # The history on the page says the conditions in words, never their JSON.
    page = aoki_client.get(page_url(rules_draft)).content.decode()
    history = page.split("Changes recorded")[1]
    assert "Category is “Analysis, research and reporting”, “Legal, patents" not in history
    assert "or “Planning and strategy” and Skill the work needs is 3 or more" in history
    assert "[[" not in history


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"g0-c1-field": "colour"},
            "Rule “knowledge_work_kpo”, condition 2: “colour” is not a field a rule can look at.",
        ),
        (
            {"g0-c0-operator": "ge"},
            "Rule “knowledge_work_kpo”, condition 1: Category cannot be compared with “at least "
            "(≥)”: use “is one of”, “is none of”.",
        ),
        (
            {"g0-c0-value": []},
            "Rule “knowledge_work_kpo”, condition 1: tick at least one value of Category.",
        ),
        (
            {"g0-c1-value": ""},
            "Rule “knowledge_work_kpo”, condition 2: enter a number for Skill the work needs.",
        ),
        (
            {"g0-c1-value": "9"},
            "Rule “knowledge_work_kpo”, condition 2: "
            "Skill the work needs goes from 1 to 5, not “9”.",
        ),
        ({"g0-c0-field": ""}, "Rule “knowledge_work_kpo”, condition 1: choose a field."),
    ],
)
def test_bad_input_is_refused_naming_the_rule_and_condition(
    aoki_client, rules_draft, changes, message
):
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    before = list(rules_draft.rules.values())
    events = Event.objects.count()
    response = aoki_client.post(edit_url(kpo), kpo_form(**changes), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert message in response.content.decode()
    assert list(rules_draft.rules.values()) == before and Event.objects.count() == events


@pytest.mark.django_db
def test_a_second_group_names_its_condition(aoki_client, rules_draft):
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    data = kpo_form(**{"g1-c0-field": "on_site", "g1-c0-operator": "eq"})
    text = aoki_client.post(edit_url(kpo), data).content.decode()
    assert "Rule “knowledge_work_kpo”, group 2, condition 1: choose Done on your premises" in text


@pytest.mark.django_db
def test_a_code_of_another_rule_is_refused(aoki_client, rules_draft):
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    text = aoki_client.post(edit_url(kpo), kpo_form(code="operation_bpo")).content.decode()
    assert "Another rule of this table has the code “operation_bpo”." in text
    assert rules_draft.rules.filter(code="knowledge_work_kpo").exists()


@pytest.mark.django_db
def test_adding_and_removing_pickers_saves_nothing(aoki_client, rules_draft):
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    before = list(rules_draft.rules.values())
    added = aoki_client.post(edit_url(kpo), kpo_form(action="add_condition:0")).content.decode()
    assert 'name="g0-c2-field"' in added
    grouped = aoki_client.post(edit_url(kpo), kpo_form(action="add_group")).content.decode()
    assert 'name="g1-c0-field"' in grouped
    removed = aoki_client.post(
        edit_url(kpo), kpo_form(action="remove_condition:0:0")
    ).content.decode()
    assert 'name="g0-c1-field"' not in removed and 'value="expertise" selected' in removed
    assert list(rules_draft.rules.values()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "shows", "hides"),
    [
        ("expertise", ['inputmode="decimal"', 'value="ge"', "From 1 to 5."], ['type="checkbox"']),
        ("category", ['type="checkbox"', 'value="not_in"'], ['inputmode="decimal"']),
        ("on_site", ['type="radio"', 'value="ne"'], ['type="checkbox"']),
    ],
)
def test_choosing_a_field_brings_its_operators_and_values(
    aoki_client, rules_draft, field, shows, hides
):
    url = reverse("administration_rule_condition", args=[rules_draft.pk])
    query = {"prefix": "g0-c1", "scope": "new", "g0-c1-field": field, "g0-c1-kind": "choice"}
    text = aoki_client.get(url, query).content.decode()
    assert all(part in text for part in shows) and not any(part in text for part in hides)
    assert 'name="g0-c1-operator"' in text


@pytest.mark.django_db
def test_a_rule_changed_by_another_administrator_meanwhile_is_not_overwritten(
    aoki_client, rules_draft
):
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    seen = aoki_client.get(edit_url(kpo)).context["editor"].form.initial["seen"]
    DecisionRule.objects.filter(pk=kpo.pk).update(explanation_en="Changed by Tanaka.")
    text = aoki_client.post(edit_url(kpo), kpo_form(seen=seen)).content.decode()
    assert "Another administrator changed rule “knowledge_work_kpo”" in text
    kpo.refresh_from_db()
    assert kpo.explanation_en == "Changed by Tanaka."


@pytest.mark.django_db
def test_a_new_rule_goes_before_the_catch_all(aoki_client, rules_draft):
    data = kpo_form(code="contact_centre_bpo", outcome="bpo")
    data.update({"g0-c0-value": ["customer_support"], "g0-c1-field": "continuity"})
    data.update({"g0-c1-operator": "in", "g0-c1-value": ["ongoing"]})
    response = aoki_client.post(reverse("administration_rule_add", args=[rules_draft.pk]), data)
    assert response.status_code == 302
    assert codes(rules_draft)[-2:] == ["contact_centre_bpo", "operation_bpo"]
    assert list(rules_draft.rules.values_list("order", flat=True)) == list(range(10))
    new = rules_draft.rules.get(code="contact_centre_bpo")
    assert new.conditions == [
        [["category", "eq", "customer_support"], ["continuity", "eq", "ongoing"]]
    ]
    created = [e for e in rule_events(rules_draft) if e.action == Action.CREATED]
    assert [e.subject_id for e in created] == [new.pk]


@pytest.mark.django_db
def test_deleting_a_rule_renumbers_the_rest(aoki_client, rules_draft):
    doomed = rules_draft.rules.get(code="unsuited_in_house")
    response = aoki_client.post(
        reverse("administration_rule_delete", args=[rules_draft.pk, doomed.pk])
    )
    assert response.status_code == 302
    assert "unsuited_in_house" not in codes(rules_draft)
    assert list(rules_draft.rules.values_list("order", flat=True)) == list(range(8))
    deleted = [e for e in rule_events(rules_draft) if e.action == Action.DELETED]
    assert [e.subject_repr for e in deleted] == [str(doomed)]


@pytest.mark.django_db
def test_rules_dragged_into_a_new_order(aoki_client, rules_draft):
    pks = list(rules_draft.rules.values_list("pk", flat=True))
    dragged = [pks[1], pks[0], *pks[2:]]
    response = aoki_client.post(order_url(rules_draft), {"rule": dragged}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert codes(rules_draft)[:2] == ["direct_instruction_dispatch", "core_in_house"]
    moved = [e for e in rule_events(rules_draft) if e.changes and e.changes[0]["field"] == "order"]
    assert {e.subject_id for e in moved} == {pks[0], pks[1]}


@pytest.mark.django_db
def test_a_rule_moved_up_with_its_button(aoki_client, rules_draft):
    it = rules_draft.rules.get(code="it_operation_ito")
    aoki_client.post(order_url(rules_draft), {"move": f"{it.pk}:up"})
    assert codes(rules_draft)[6:8] == ["it_operation_ito", "one_off_subcontract"]
    aoki_client.post(
        order_url(rules_draft), {"move": f"{rules_draft.rules.first().pk}:up"}
    )  # already first
    assert codes(rules_draft)[0] == "core_in_house"


@pytest.mark.django_db
def test_an_order_made_before_a_rule_was_added_is_refused(aoki_client, rules_draft):
    pks = list(rules_draft.rules.values_list("pk", flat=True))
    before = codes(rules_draft)
    response = aoki_client.post(
        order_url(rules_draft), {"rule": list(reversed(pks[:-1]))}, HTTP_HX_REQUEST="true"
    )
    assert "The rules have changed since this page was opened" in response.content.decode()
    assert codes(rules_draft) == before


@pytest.mark.django_db
def test_a_published_version_is_shown_but_never_changed(aoki_client):
    published = RuleTableVersion.objects.latest_published()
    first = published.rules.first()
    before = list(published.rules.values())
    text = aoki_client.get(page_url(published)).content.decode()
    assert "Skill the work needs is 3 or more" in text and "data-edit-rule" not in text
    assert "draggable" not in text
    assert aoki_client.get(edit_url(first)).status_code == 404
    assert aoki_client.post(edit_url(first), kpo_form()).status_code == 404
    assert aoki_client.post(order_url(published), {"move": f"{first.pk}:down"}).status_code == 404
    delete = reverse("administration_rule_delete", args=[published.pk, first.pk])
    assert aoki_client.post(delete).status_code == 404
    assert list(published.rules.values()) == before


@pytest.mark.django_db
def test_the_check_names_the_tasks_no_rule_decides(aoki_client, rules_draft):
    catch_all = rules_draft.rules.get(code="operation_bpo")
    response = aoki_client.post(
        reverse("administration_rule_delete", args=[rules_draft.pk, catch_all.pk]),
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert "3 kinds of task get no recommended model:" in text
    assert "Continuity is “Ongoing”" in text and "Skill the work needs is 3 or less" in text
    assert "The last rule must have no conditions" in text


@pytest.mark.django_db
def test_the_check_names_a_rule_that_can_never_fire(aoki_client, rules_draft):
    catch_all = rules_draft.rules.get(code="operation_bpo")
    aoki_client.post(order_url(rules_draft), {"move": f"{catch_all.pk}:up"})  # above the IT rule
    text = aoki_client.get(page_url(rules_draft)).content.decode()
    reason = "Rule 8 “operation_bpo” decides every task it would."
    assert f"Rule 9 “it_operation_ito”: {reason}" in text  # the check
    assert f"Never fires: {reason}" in text and "data-never-badge" in text  # the card


PAYLOAD = "\"'><b id=xss>"


@pytest.mark.django_db
def test_typed_and_stored_wording_comes_out_as_text(aoki_client, rules_draft):
    """Explanations, a note and even conditions edited elsewhere (a value no field has) are
    printed as text on the page, in a rule's form and in the pickers."""
    rules_draft.note = PAYLOAD
    rules_draft.save()
    kpo = rules_draft.rules.get(code="knowledge_work_kpo")
    kpo.explanation_ja = kpo.explanation_en = PAYLOAD
    kpo.conditions = [[["category", "eq", PAYLOAD], [PAYLOAD, "eq", PAYLOAD]]]
    kpo.save()
    condition = reverse("administration_rule_condition", args=[rules_draft.pk])
    query = {"prefix": "g0-c0", "scope": PAYLOAD, "g0-c0-field": PAYLOAD, "g0-c0-value": PAYLOAD}
    for url, data in [
        (page_url(rules_draft), None),
        (edit_url(kpo), None),
        (condition, query),
        (
            reverse(
                "administration_rules_draft", args=[RuleTableVersion.objects.latest_published().pk]
            ),
            None,
        ),
    ]:
        response = aoki_client.get(url, data)
        assert response.status_code == 200, url
        assert "<b id=xss" not in response.content.decode(), url
    form = aoki_client.post(edit_url(kpo), kpo_form(code=PAYLOAD, **{"g0-c0-field": PAYLOAD}))
    assert "<b id=xss" not in form.content.decode()
    assert "is not a field a rule can look at" in form.content.decode()
