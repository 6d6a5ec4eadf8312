"""What the end-to-end tests share besides fixtures (tests/e2e/conftest.py): the browser's
viewport and timeout, signing in, the payroll task's answers, screenshots and the report's text."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.factories import PASSWORD

VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

DEMO_ORGANISATION = "株式会社さくら商事"


# The answers that make the payroll task (the `payroll` fixture) non-core and BPO (rule 6).
PAYROLL_ANSWERS = {
    "C1": "no",
    "C2": "no",
    "C3": "yes",
    "C5": "no",
    "C7": "no",
    "C8": "partly",
    "C10": "yes",
}  # C4, C6 and C9 are pre-filled from the inventory: no, no, yes


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(base_url + "/")


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
