"""Aoki, a site administrator, changes the decision table in a real browser (issue 18): she
starts a draft, adds a condition to the KPO rule with the pickers (field, then the comparison
and values it offers), drags the catch-all rule above the IT rule, and the coverage check beside
the rules says at once that the IT rule can never fire; the arrow buttons move it back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from assessments.models.versions import RuleTableVersion, Status
from outsourcing_advisor.history.models import Event, SubjectType
from tests.e2e.browser import sign_in
from tests.factories import make_user
from tests.helpers import restore_published_defaults

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def aoki(transactional_db) -> User:
    restore_published_defaults()
    user = make_user("aoki", language="en")
    user.is_staff = True
    user.save()
    return user


def settled(page) -> None:
    """htmx has swapped and processed what it fetched: a select changed before then fires no
    request (the new content has no handlers yet)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def codes(draft: RuleTableVersion) -> list[str]:
    return list(draft.rules.values_list("code", flat=True))


def test_aoki_edits_reorders_and_sees_a_rule_that_can_never_fire(page, live_server, aoki):
    base = live_server.url
    sign_in(page, base, "aoki")
    page.goto(base + "/administration/rules/")
    page.locator("form[action$='/start/'] button").first.click()
    draft = RuleTableVersion.objects.get(status=Status.DRAFT)
    page.wait_for_url(f"{base}/administration/rules/{draft.pk}/")
    assert page.locator("[data-never-list='0']").is_visible()

    # The KPO rule: a third condition in its first group, picked field → comparison → values.
    kpo = page.locator("[data-code=knowledge_work_kpo]")
    kpo.locator("[data-edit-rule]").click()
    settled(page)
    form = page.locator("[data-rule-form]")
    form.locator("[data-add-condition='0']").click()
    settled(page)
    condition = form.locator("[data-condition='g0-c2']")
    condition.locator("[data-field]").select_option("standardizable")
    condition.locator("[data-operator] option[value=not_in]").wait_for(state="attached")
    condition.locator("[data-operator]").select_option("not_in")
    condition.get_by_label("Yes").check()
    assert "[[" not in form.inner_text()  # pickers, never JSON
    form.locator("[data-save-rule]").click()
    page.locator("[data-notice]").wait_for()
    assert "Standardisable is not “Yes”" in kpo.inner_text()
    rule = draft.rules.get(code="knowledge_work_kpo")
    assert rule.conditions[0][2] == ["standardizable", "ne", "yes"]

    # The catch-all dragged above the IT rule: the IT rule can never fire, said at once.
    page.locator("[data-code=operation_bpo]").drag_to(
        page.locator("[data-code=it_operation_ito]"), target_position={"x": 40, "y": 8}
    )
    warning = page.locator("#rule-check [data-never-rule=it_operation_ito]")
    warning.wait_for()
    assert "operation_bpo" in warning.inner_text()
    assert codes(draft)[-2:] == ["operation_bpo", "it_operation_ito"]
    assert page.locator("[data-code=it_operation_ito] [data-never-badge]").is_visible()
    assert page.locator("#rule-check [data-problems]").is_visible()  # no catch-all last

    # Back with the keyboard: the arrow button keeps the focus, and the warning goes.
    up = page.locator("[data-code=it_operation_ito] button[value$=':up']")
    button_id = up.get_attribute("id")
    up.focus()
    page.keyboard.press("Enter")
    page.locator("#rule-check [data-never-list='0']").wait_for()
    assert page.evaluate("() => document.activeElement.id") == button_id
    assert codes(draft)[-2:] == ["it_operation_ito", "operation_bpo"]
    moves = Event.objects.filter(subject_type=SubjectType.RULE, details__version=draft.pk)
    assert moves.filter(actor=aoki).count() >= 3  # the edit and the moves, each recorded
