"""Fixtures of the end-to-end tests: one headless Chromium per session, a fresh page per test.

The browser is Debian's Chromium (`apt-get install chromium`), driven by Playwright's sync API;
Playwright's own browser download is never used. Without Chromium the tests are skipped, except in
CI (env CI set), where a missing browser is a failure rather than a silent skip."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

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
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

DEMO_ORGANISATION = "株式会社さくら商事"


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

    from assessments.models import Assessment
    from tests.conftest import restore_published_defaults

    restore_published_defaults()
    call_command("seed_demo", verbosity=0)
    return Assessment.objects.get(organisation__name=DEMO_ORGANISATION)


def download_report_text(page, folder: Path, lang: str = "ja") -> str:
    """Download the report from the overview shown in `page` and return its text as a reader
    would copy it (pdftotext of poppler-utils), lines unwrapped."""
    with page.expect_download() as download_info:
        page.locator(f"a[data-report={lang}]").click()
    path = folder / "report.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode().replace("\n", "")


def save_screenshot(page, name: str, folder: Path = ARTIFACTS) -> Path | None:
    """A full-page screenshot as folder/<name>.png; None if the page can no longer be captured."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception:  # a crashed or closed page: the test's own error matters more
        return None
    return path
