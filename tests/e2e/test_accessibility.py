"""Accessibility of every main page of the demo assessment, in headless Chromium.

axe-core (node_modules/axe-core, from the npm registry; never a CDN) is injected into each page
and must find no serious or critical violation of WCAG 2.1 A/AA or of its best practices, at a
desktop width (1280 px) and at a phone width (390 px), where the page must not scroll sideways
either (wide tables scroll inside their .table-responsive box). A keyboard test signs in and
answers a question of the guided check with Tab, arrow keys and Enter only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from assessments.background.jobs import Job, JobKind, JobStatus
from assessments.models import Assessment, Package, collaboration
from assessments.models.drafts import start_draft
from assessments.models.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    RuleTableVersion,
)
from tests.e2e.browser import TIMEOUT_MS, save_screenshot
from tests.factories import publish_newer_versions
from vendors.models import Bid, Vendor

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
USERNAME, PASSWORD = "consultant", "demo-consultant-2026"
OVERFLOW_TOLERANCE = 2  # px: sub-pixel rounding


@dataclass(frozen=True)
class Width:
    name: str
    width: int
    height: int


WIDTHS = (Width("desktop", 1280, 800), Width("mobile", 390, 844))


def main_pages(assessment: Assessment) -> list[tuple[str, str]]:
    """(name, path) of every main page of the demo assessment and of the registry."""
    task = assessment.tasks.order_by("position").first()
    # A task the check lacks answers for: no score, the missing questions named.
    incomplete = assessment.tasks.filter(result__verdict="incomplete").first()
    bid = Bid.objects.filter(package__assessment=assessment).order_by("package_id", "pk").first()
    assert task is not None and bid is not None, "seed_demo made no task or no bid"
    assert incomplete is not None, "seed_demo made no task lacking answers"
    package = bid.package
    vendor = Vendor.objects.order_by("pk").first()
    base = f"/assessments/{assessment.pk}"
    on_package = f"{base}/packages/{package.pk}"
    # A background report in progress and an import that failed on its rows.
    running = Job.objects.create(
        assessment=assessment, kind=JobKind.REPORT, status=JobStatus.RUNNING, percent=40
    )
    failed = Job.objects.create(
        assessment=assessment,
        kind=JobKind.IMPORT,
        status=JobStatus.FAILED,
        filename="inventory.xlsx",
        problems=["2行目、G列（所要時間(分)）：「abc」は数値ではありません。"],
        result={"rejected": True},
    )
    # Working together (issue 18): the task's check given to the consultant, who is mentioned
    # in a comment on it and on the package (the check and vendor pages show them; my work too).
    consultant, manager = (User.objects.get(username=name) for name in ("consultant", "manager"))
    assessment.assign_check(task, consultant, manager)
    for on in ({"task": task}, {"package": package}):
        collaboration.add_comment(assessment, manager, "@consultant 確認をお願いします", **on)
    # The trash (issue 18): a task and an empty package moved there.
    last = assessment.tasks.exclude(pk__in=[task.pk, incomplete.pk]).order_by("-position").first()
    assessment.trash_task(last, manager)
    spare = Package.objects.create(assessment=assessment, model="bpo", name="予備のパッケージ")
    spare.trash(manager)
    return [
        ("home", "/"),
        ("overview", f"{base}/"),
        ("inventory", f"{base}/inventory/"),
        # Searched and filtered, and a search that finds nothing (issue 18).
        ("inventory, filtered", f"{base}/inventory/?q=%E4%BA%BA%E4%BA%8B&status=incomplete"),
        ("inventory, nothing found", f"{base}/inventory/?q=%E8%A9%B2%E5%BD%93%E3%81%AA%E3%81%97"),
        ("trash", f"{base}/trash/"),
        ("task form", f"{base}/tasks/{task.pk}/"),
        ("new task form", f"{base}/tasks/new/"),
        ("guided check", f"{base}/tasks/{task.pk}/check/"),
        ("guided check, answers missing", f"{base}/tasks/{incomplete.pk}/check/"),
        ("answer grid", f"{base}/check/"),
        ("packages", f"{base}/packages/"),
        ("package vendors", f"{on_package}/vendors/"),
        ("告示37号 checklist", f"{on_package}/independence/"),
        ("score", f"{on_package}/bids/{bid.pk}/score/"),
        ("quote", f"{on_package}/bids/{bid.pk}/quote/"),
        ("evaluation import", f"{base}/evaluations/import/"),
        ("RFP", f"{on_package}/rfp/"),
        ("goals", f"{base}/goals/"),
        ("readiness", f"{base}/readiness/"),
        ("operation", f"{base}/operation/"),
        ("versions", f"{base}/versions/"),
        ("vendor list", "/vendors/"),
        ("vendor detail", f"/vendors/{vendor.pk}/"),
        ("vendor form", f"/vendors/{vendor.pk}/edit/"),
        ("import", f"{base}/import/"),
        ("report in progress", f"{base}/jobs/{running.pk}/"),
        ("failed import", f"{base}/jobs/{failed.pk}/"),
        ("organisation settings", f"/accounts/organisations/{assessment.organisation_id}/"),
        ("members (read-only)", f"/accounts/organisations/{assessment.organisation_id}/members/"),
        ("my work", "/my-work/"),
        ("departments compared", f"/organisations/{assessment.organisation_id}/departments/"),
    ]


def sign_in(page, base: str, username: str = USERNAME, password: str = PASSWORD) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button").click()
    page.wait_for_url(base + "/")


def japanese_page(browser, width: Width) -> tuple[Any, Any]:
    """A browser context at `width`, in Japanese, and its page. The site's Content-Security-
    Policy forbids inline scripts, axe's included: the test's own context bypasses it (the
    app's pages are unchanged). The caller closes the context."""
    context = browser.new_context(
        viewport={"width": width.width, "height": width.height}, locale="ja-JP", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def assert_accessible(found: dict[str, list[str]], width: Width) -> None:
    """No page had a serious or critical violation; else each page with its problems."""
    report = "\n".join(
        f"{page_name}:\n" + "\n".join(f"  - {problem}" for problem in problems)
        for page_name, problems in found.items()
    )
    assert not found, f"accessibility problems at {width.width}px:\n{report}"


def axe_violations(page) -> list[dict]:
    """axe's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [violation for violation in violations if violation["impact"] in BLOCKING]


def describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
    more = len(violation["nodes"]) - len(targets)
    summary = " ".join((violation["nodes"][0].get("failureSummary") or "").split())[:240]
    return (
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        f" → {'; '.join(targets)}{f' (+{more} more)' if more > 0 else ''} [{summary}]"
    )


# The elements sticking out to the right of the viewport, outside any box that scrolls sideways.
OVERFLOWING = """width => {
  const scrolls = el => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 2 && !scrolls(el))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string'
         ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
}"""


def page_problems(page, width: Width) -> list[str]:
    problems = [describe(violation) for violation in axe_violations(page)]
    if width.width < 576:
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width.width + OVERFLOW_TOLERANCE:
            culprits = page.evaluate(OVERFLOWING, width.width)
            problems.append(
                f"horizontal overflow: {scroll_width}px wide at {width.width}px "
                f"({', '.join(culprits) or 'no single element found'})"
            )
    return problems


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: width.name)
def test_main_pages_have_no_serious_accessibility_violations(browser, live_server, demo, width):
    base = live_server.url
    context, page = japanese_page(browser, width)
    found: dict[str, list[str]] = {}
    try:
        page.goto(base + "/accounts/login/")
        if problems := page_problems(page, width):
            found["login"] = problems
        sign_in(page, base)
        for name, path in main_pages(demo):
            response = page.goto(base + path)
            assert response is not None and response.ok, (
                f"{name} ({path}): {response and response.status}"
            )
            if problems := page_problems(page, width):
                found[f"{name} ({path})"] = problems
                save_screenshot(page, f"a11y-{width.name}-{name}")
    finally:
        context.close()
    assert_accessible(found, width)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: width.name)
def test_the_bulk_edit_bar_has_no_serious_accessibility_violations(
    browser, live_server, demo, width
):
    """The inventory's bar that changes the ticked rows (issue 18), shown once a row is ticked,
    and after a refused change naming the rows (its buttons on the bar's light blue, 4.5:1)."""
    base = live_server.url
    context, page = japanese_page(browser, width)
    try:
        sign_in(page, base)
        page.goto(f"{base}/assessments/{demo.pk}/inventory/")
        page.locator("[data-bulk-row]").first.check()
        page.select_option("#bulk-field", "C4")
        shown = page_problems(page, width)
        page.select_option("#bulk-field", "department")
        page.fill("#bulk-value-department", "")
        page.locator("[data-bulk] button[name=action][value=set]").click()
        page.wait_for_selector("[data-notice=danger]")
        refused = page_problems(page, width)
    finally:
        context.close()
    assert not shown and not refused, (shown, refused)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: width.name)
def test_member_pages_have_no_serious_accessibility_violations(browser, live_server, demo, width):
    """A manager's members page, a member's removal, a new invitation's link, and the join page
    a visitor without an account opens (issue 18)."""
    base = live_server.url
    organisation = demo.organisation_id
    members = f"/accounts/organisations/{organisation}/members/"
    viewport = {"width": width.width, "height": width.height}
    found: dict[str, list[str]] = {}
    contexts = [browser.new_context(viewport=viewport, locale="ja-JP", bypass_csp=True)]
    try:
        page = contexts[0].new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", "manager")
        page.fill("#id_password", "demo-manager-2026")
        page.locator("main form button").click()
        page.wait_for_url(base + "/")
        page.goto(base + members)
        checked = [("members", members)]
        remove = page.locator("[data-member=consultant] a[href$='/remove/']").get_attribute("href")
        checked.append(("member removal", remove))
        for name, path in checked:
            page.goto(base + path)
            if problems := page_problems(page, width):
                found[name] = problems
                save_screenshot(page, f"a11y-{width.name}-{name}")
        page.goto(base + members)
        page.locator("button[name=action][value=copy]").click()
        url = page.locator("#invitation-link").input_value()
        if problems := page_problems(page, width):
            found["invitation issued"] = problems
        contexts.append(browser.new_context(viewport=viewport, locale="ja-JP", bypass_csp=True))
        visitor = contexts[1].new_page()
        visitor.set_default_timeout(TIMEOUT_MS)
        visitor.goto(url)
        if problems := page_problems(visitor, width):
            found["join"] = problems
        visitor.locator("button[data-join]").click()  # nothing typed: every field says why
        if problems := page_problems(visitor, width):
            found["join with errors"] = problems
        visitor.goto(url[:-5] + "xxxx/")
        if problems := page_problems(visitor, width):
            found["join 404"] = problems
    finally:
        for context in contexts:
            context.close()
    assert_accessible(found, width)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: width.name)
def test_version_pages_have_no_serious_accessibility_violations(browser, live_server, demo, width):
    """The versions page with newer versions published (what the move changes, in words), after
    the move (moving back offered), and after another change (why it no longer is)."""
    publish_newer_versions(User.objects.get(username="admin"))  # seed_demo's administrator
    base, path = live_server.url, f"/assessments/{demo.pk}/versions/"
    context, page = japanese_page(browser, width)
    found: dict[str, list[str]] = {}
    try:
        sign_in(page, base)
        page.goto(base + path)
        for name in ("versions, newer published", "versions, just moved", "versions, changed"):
            if name == "versions, just moved":
                page.locator("[data-confirm-move] button").click()
            elif name == "versions, changed":
                task = demo.tasks.order_by("position").first()
                other = "no" if task.effective_answers().get("C7") == "yes" else "yes"
                demo.save_answers([(task, {"C7": other})], None)
                page.goto(base + path)
            if problems := page_problems(page, width):
                found[name] = problems
                save_screenshot(page, f"a11y-{width.name}-{name}")
    finally:
        context.close()
    assert_accessible(found, width)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: width.name)
def test_rule_editor_pages_have_no_serious_accessibility_violations(
    browser, live_server, demo, width
):
    """The decision table's editor (issue 18): its versions, a draft, a rule's pickers open,
    the same refused (a condition without a field), and a published version, read-only."""
    published = RuleTableVersion.objects.latest_published()
    draft = start_draft(published, User.objects.get(username="admin"))
    base, on_draft = live_server.url, f"/administration/rules/{draft.pk}/"
    context, page = japanese_page(browser, width)
    found: dict[str, list[str]] = {}
    try:
        sign_in(page, base, "admin", "demo-admin-2026")
        for name, path in (
            ("decision table", "/administration/rules/"),
            ("published rules", f"/administration/rules/{published.pk}/"),
            ("rule table draft", on_draft),
        ):
            page.goto(base + path)
            if problems := page_problems(page, width):
                found[name] = problems
                save_screenshot(page, f"a11y-{width.name}-{name}")
        page.locator("[data-code=knowledge_work_kpo] [data-edit-rule]").click()
        page.locator("[data-rule-form] [data-add-condition='0']").click()
        page.locator("[data-condition='g0-c2']").wait_for()
        if problems := page_problems(page, width):
            found["rule form"] = problems
        page.locator("[data-rule-form] [data-save-rule]").click()
        page.locator("[data-rule-errors]").wait_for()
        if problems := page_problems(page, width):
            found["rule form refused"] = problems
            save_screenshot(page, f"a11y-{width.name}-rule form refused")
    finally:
        context.close()
    assert_accessible(found, width)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: width.name)
def test_administration_pages_have_no_serious_accessibility_violations(
    browser, live_server, demo, width
):
    """The administrators' area (issue 18): its home, a kind's versions, each kind's draft, a
    draft refused with its errors named, and the publish preview, with a change that moves
    tasks of the demo assessment and a draft that cannot be published."""
    admin = User.objects.get(username="admin")
    checklist = start_draft(ChecklistVersion.objects.latest_published(), admin)
    checklist.criteria.filter(code="C5").update(weight=4)
    weights = start_draft(EvaluationVersion.objects.latest_published(), admin)
    weights.weights.filter(criterion="security").update(weight=10)  # adds up to 90
    readiness = start_draft(ReadinessVersion.objects.latest_published(), admin)
    base = live_server.url
    context, page = japanese_page(browser, width)
    found: dict[str, list[str]] = {}
    try:
        sign_in(page, base, "admin", "demo-admin-2026")
        for name, path in (
            ("administration", "/administration/"),
            ("checklist versions", "/administration/checklist/"),
            ("checklist draft", f"/administration/checklist/{checklist.pk}/"),
            ("checklist preview", f"/administration/checklist/{checklist.pk}/publish/"),
            ("weights draft", f"/administration/vendor-criteria/{weights.pk}/"),
            ("weights refused", f"/administration/vendor-criteria/{weights.pk}/publish/"),
            ("readiness draft", f"/administration/readiness/{readiness.pk}/"),
            ("readiness preview", f"/administration/readiness/{readiness.pk}/publish/"),
        ):
            page.goto(base + path)
            if problems := page_problems(page, width):
                found[name] = problems
                save_screenshot(page, f"a11y-{width.name}-{name}")
        page.goto(base + f"/administration/checklist/{checklist.pk}/")
        page.locator("[data-row=C3] input[name$='-weight']").fill("-1")
        page.locator("button[name=save]").click()
        page.locator("[data-problems]").wait_for()
        if problems := page_problems(page, width):
            found["checklist draft refused"] = problems
            save_screenshot(page, f"a11y-{width.name}-checklist draft refused")
    finally:
        context.close()
    assert_accessible(found, width)


FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // A Bootstrap toggle button is a visually hidden radio: its label shows the focus.
  const shown = el.classList.contains('btn-check') ? el.nextElementSibling : el;
  const style = getComputedStyle(shown);
  return {
    id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
    href: el.getAttribute('href'), classes: el.className, tag: el.tagName.toLowerCase(),
    focusVisible: el.matches(':focus-visible'),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none',
  };
}"""


def tab_until(page, matches, limit: int = 120) -> dict:
    """Press Tab until the focused element matches; the focus must be visible at each stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        assert state["focusVisible"] and state["ring"], f"focus not visible on {state}"
        if matches(state):
            return state
    raise AssertionError(f"not reached with {limit} presses of Tab")


def test_sign_in_and_guided_check_with_the_keyboard(page, live_server, demo):
    base = live_server.url
    page.goto(base + "/accounts/login/")
    tab_until(page, lambda state: state["id"] == "id_username")
    page.keyboard.type(USERNAME)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_STATE)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")

    task = demo.tasks.order_by("position").first()
    check = f"/assessments/{demo.pk}/tasks/{task.pk}/check/"
    page.goto(base + check)
    steps = set(
        page.locator("ol.stepper a.stepper-link").evaluate_all(
            "a => a.map(l => l.getAttribute('href'))"
        )
    )
    tabs = set(
        page.locator("ul.nav-tabs a.nav-link").evaluate_all(
            "a => a.map(l => l.getAttribute('href'))"
        )
    )
    assert page.locator("ol.stepper li").count() == 6 and len(tabs) >= 4
    reached: set[str] = set()

    def collect(state: dict) -> bool:
        if state["href"]:
            reached.add(state["href"])
        return state["type"] == "radio"

    # Every step and every tab comes before the first question, in the order of the page.
    radio = tab_until(page, collect)
    assert steps <= reached, f"steps not reached by Tab: {steps - reached}"
    assert tabs <= reached, f"tabs not reached by Tab: {tabs - reached}"

    # The first question: arrow keys pick another answer ("unknown" would leave it unanswered),
    # Tab leaves the group.
    question = radio["name"]
    checked = page.locator(f"input[name='{question}']:checked")
    before = checked.get_attribute("value") if checked.count() else None
    chosen = before
    for _ in range(5):
        page.keyboard.press("ArrowRight")
        chosen = checked.get_attribute("value")
        if chosen not in (before, "unknown"):
            break
    assert chosen not in (before, "unknown")
    tab_until(page, lambda state: state["tag"] == "button" and state["name"] == "go")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    task.refresh_from_db()
    assert task.answers.get(question) == chosen
    page.goto(base + check)
    assert page.locator(f"input[name='{question}']:checked").get_attribute("value") == chosen
