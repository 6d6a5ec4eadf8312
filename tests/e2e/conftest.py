"""Fixtures of the end-to-end tests: one headless Chromium per session, a fresh page per test.

The browser is Debian's Chromium (`apt-get install chromium`), driven by Playwright's sync API;
Playwright's own browser download is never used. Without Chromium the tests are skipped, except in
CI (env CI set), where a missing browser is a failure rather than a silent skip."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from assessments.models import Assessment, Task
from outsourcing_advisor.accounts.models import Organisation, Role
from tests.e2e.browser import DEMO_ORGANISATION, TIMEOUT_MS, VIEWPORT, save_screenshot
from tests.factories import make_member, make_task
from tests.helpers import restore_published_defaults


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server's threads all share the test's one in-memory SQLite connection: two
    requests at once (an htmx refresh still running when a form is sent) collide on it
    ("cannot start a transaction within a transaction"). Each request runs whole, its body
    included, before the next; connections still get their own threads, so a browser's
    keep-alive connection blocks nobody."""

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with lock:
                response = application(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling Google services, which floods a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (the e2e tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed: pip install -e '.[dev]'")
    # Playwright's sync API runs an asyncio event loop in the test thread, so Django takes every
    # ORM call made by the test (creating users, reading results) for a call from async code and
    # raises SynchronousOnlyOperation. The calls really are synchronous and the live server answers
    # requests in its own thread, so the check is switched off while the browser runs, and only
    # then: a run without the e2e tests keeps it (and `check --deploy` in a subprocess, which
    # refuses the variable, does not inherit it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Keep each phase's report on the test item, so that `page` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """A page in a new browser context (no cookies shared between tests), 1280×800.

    When the test fails, a screenshot of the page is saved in test-artifacts/ (git-ignored)."""
    context = browser.new_context(viewport=VIEWPORT, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_screenshot(page, request.node.nodeid)
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo data of `make run`; returns company A's assessment. A transactional test empties
    the tables the data migrations filled, so the published defaults are restored first."""
    from django.core.management import call_command

    restore_published_defaults()
    call_command("seed_demo", verbosity=0)
    return Assessment.objects.get(organisation__name=DEMO_ORGANISATION)


@pytest.fixture
def payroll(transactional_db) -> Task:
    """Company A's payroll task, unanswered, in an assessment pinned to the published defaults
    (a transactional test empties the tables the data migration filled, so they are restored)."""
    restore_published_defaults()
    organisation = Organisation.objects.create(name="さくら商事")
    for username, role in (("hanako", Role.MANAGER), ("kenji", Role.CONSULTANT)):
        make_member(username, organisation, role, language="ja")
    assessment = Assessment.objects.start(organisation=organisation, name="2026年度 業務棚卸し")
    task = make_task(
        assessment,
        department="人事部",
        process="給与計算",
        task="勤怠データ集計",
        category="hr",
        frequency="monthly",
        minutes=Decimal(480),
        people=2,
        expertise=2,
        people_able=1,
        confidentiality="internal",
        continuity="ongoing",
        direct_instruction="no",
        judgment="low",
        requirement_changes="low",
        tacit_knowledge="low",
    )
    assessment.recompute_results()
    return task
