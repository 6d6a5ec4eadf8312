"""What several test modules share besides data (tests/factories.py) and fixtures (conftest.py):
logged-in clients, URLs, the forms the pages post, the vendor evaluation sample, the text of a
PDF, and waiting on a row lock. A test module never imports another test module: what two of
them need lives here."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.domain.choices import VendorCriterion
from assessments.models import Assessment, Package, PendingUpload
from assessments.models.drafts import draft_stamp
from assessments.models.versions import ReadinessVersion
from tests.factories import NEXT_YEAR, SECURITY_ITEMS

# --- clients and the published defaults ---------------------------------------------------------


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The data migrations that publish the default checklist, rules, vendor weights and readiness items.
DATA_MIGRATIONS = (
    "0003_publish_default_versions",
    "0006_publish_default_vendor_weights",
    "0008_publish_default_readiness",
    "0015_publish_revised_rules",
    "0016_publish_readiness_personal_data",
    "0020_checklist_scoring",
)


def restore_published_defaults() -> None:
    """A transactional test empties the tables the data migrations filled (the first one to run
    still has them): publish the defaults again when they are missing."""
    from django.apps import apps

    from assessments.models.versions import ChecklistVersion

    if not ChecklistVersion.objects.exists():
        for name in DATA_MIGRATIONS:
            importlib.import_module(f"assessments.migrations.{name}").publish_defaults(apps, None)


# --- URLs --------------------------------------------------------------------------------------


def confirm_version_move(client: Client, assessment: Assessment, **options: Any) -> Any:
    """Move the assessment to the newest versions as a consultant does: read the versions page,
    then confirm with the stamp of the changes it showed (its form's `seen`)."""
    url = reverse("assessment_versions", args=[assessment.pk])
    page = client.get(url).content.decode()
    found = re.search(r'name="seen" value="([^"]*)"', page)
    assert found, "the versions page offers no move"
    return client.post(url, {"seen": found.group(1)}, **options)


def package_url(name: str, assessment: Assessment, package: Package | None = None) -> str:
    """The URL of an assessment's packages page `name`, or of one package's."""
    args = [assessment.pk] + ([package.pk] if package else [])
    return reverse(name, args=args)


def bid_url(name: str, package: Package, *rest: int) -> str:
    """The URL of a package's vendor selection page `name` (and of a bid with its id in rest)."""
    return reverse(name, args=[package.assessment_id, package.pk, *rest])


# --- an inventory file on its way in -----------------------------------------------------------


def upload_inventory(client: Client, assessment: Assessment, content: bytes, name="inventory.csv"):
    """Post a file on the import page: it is read at once and kept until it is imported."""
    file = SimpleUploadedFile(name, content)
    return client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})


def pending_url(assessment: Assessment, name: str = "import_preview") -> str:
    """The preview (or mapping step) of the file on its way in."""
    return reverse(name, args=[assessment.pk, PendingUpload.objects.get().pk])


# --- the forms the pages post ------------------------------------------------------------------


def scores(value: int | dict[str, int], action: str = "submit") -> dict[str, object]:
    """A score form: every criterion `value`, or the given ones."""
    given = value if isinstance(value, dict) else dict.fromkeys(VendorCriterion.values, value)
    return {**{f"score_{key}": score for key, score in given.items()}, "action": action}


def vendor_form(**changes: Any) -> dict[str, Any]:
    """What the new-vendor form posts: two certifications and the five-item check filled in."""
    data: dict[str, Any] = {
        "name": "株式会社ひかりビジネスサービス",
        "services": ["bpo", "kpo"],
        "industries": "製造業, 卸売業",
        "locations": "東京, 札幌",
        "track_record": "経理BPO 120社",
        "contacts": "営業部 佐藤",
        "notes": "",
        "certifications-TOTAL_FORMS": "2",
        "certifications-INITIAL_FORMS": "0",
        "certifications-MIN_NUM_FORMS": "0",
        "certifications-MAX_NUM_FORMS": "1000",
        "certifications-0-kind": "isms",
        "certifications-0-number": "IS 123456",
        "certifications-0-expires_on": NEXT_YEAR.isoformat(),
        "certifications-1-kind": "pmark",
        "certifications-1-number": "10820001",
        "certifications-1-expires_on": "",
    }
    for item in SECURITY_ITEMS:
        data[f"security-{item}-status"] = "met"
        data[f"security-{item}-note"] = ""
    data["security-resubcontracting-status"] = "partly"
    data["security-resubcontracting-note"] = "再委託先は事前承認制"
    data.update(changes)
    return data


def goals_form(**overrides: str) -> dict[str, str]:
    data = {
        "cost_rank": "1",
        "quality_rank": "3",
        "speed_rank": "4",
        "depersonalisation_rank": "2",
        "cost_note": "Payroll costs rise every year",
        "depersonalisation_note": "Only Sato-san can close the month",
        "process_improvement": "on",
        "process_improvement_note": "Tried in 2025; saved little",
        "alternatives_note": "Hiring is not possible this year.",
    }
    return {**data, **overrides}


def readiness_form(version: ReadinessVersion, **rows: tuple[str, str, str]) -> dict[str, str]:
    """Every item not started, except the given codes: (owner, status, note)."""
    data = {}
    for item in version.items.all():
        owner, status, note = rows.get(item.code, ("", "not_started", ""))
        data |= {
            f"owner_{item.pk}": owner,
            f"status_{item.pk}": status,
            f"note_{item.pk}": note,
        }
    return data


# --- the versions: their read-only pages in the admin, a draft's form in the administrators' area

RULE_FIELDS = ["order", "code", "conditions", "outcome", "explanation_ja", "explanation_en"]
CRITERION_FIELDS = ["order", "direction", "weight", "text_ja", "text_en", "help_ja", "help_en"]
ITEM_FIELDS = ["order", "area", "text_ja", "text_en", "help_ja", "help_en"]
CHECKLIST_FIELDS = ["note", "non_core_at", "core_at", "max_unknown", "costly_core_yen", "scoring"]


def rule_rows(version):
    return [
        {
            "id": rule.pk,
            "version": version.pk,
            **{name: getattr(rule, name) for name in RULE_FIELDS},
            "conditions": json.dumps(rule.conditions),
        }
        for rule in version.rules.all()
    ]


def change_url(version):
    return reverse(f"admin:assessments_{version._meta.model_name}_change", args=[version.pk])


def draft_form(version, related, fields, own=("note",), **changes):
    """A draft's page in the administrators' area (issue 18) as the browser posts it: its own
    fields (`own`, `changes` overriding them), each of its rows (`related`) with `fields` as
    shown, and the stamp of the draft as the page read it. Rows are `rows-<i>-<field>`, in the
    draft's order; a row's `order` is shown as its position, counted from 1."""
    rows = list(getattr(version, related).all())
    data = {
        "draft-seen": draft_stamp(version),
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": len(rows),
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
        "save": "1",
    }
    data |= {f"draft-{name}": getattr(version, name) for name in own}
    for i, row in enumerate(rows):
        data[f"rows-{i}-id"] = row.pk
        data |= {f"rows-{i}-{name}": getattr(row, name) for name in fields}
        if "order" in fields:
            data[f"rows-{i}-order"] = row.order + 1
    return data | {f"draft-{name}": value for name, value in changes.items()}


# --- the vendor evaluation sample (docs/samples) and its upload ---------------------------------

SAMPLE = django_settings.BASE_DIR / "docs" / "samples" / "vendor_evaluations_sample.csv"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8-sig")
SAMPLE_ROWS = list(csv.reader(io.StringIO(SAMPLE_TEXT)))
HEADERS = SAMPLE_ROWS[0]


def evaluations_import_url(assessment: Assessment) -> str:
    return reverse("evaluations_import", args=[assessment.pk])


def sheet(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def sample_with(*changes: tuple[int, str, str]) -> bytes:
    """The sample with cells changed: (row as the spreadsheet numbers it, header, value)."""
    rows = [list(row) for row in SAMPLE_ROWS]
    for number, header, value in changes:
        rows[number - 1][HEADERS.index(header)] = value
    return sheet(rows)


SAMPLE_BYTES = sample_with()


def upload(
    client: Client,
    assessment: Assessment,
    content: bytes = SAMPLE_BYTES,
    name: str = "vendor_evaluations.csv",
    **options: Any,
):
    """Post a vendor evaluation file (the sample unless told) on the import page."""
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(evaluations_import_url(assessment), {"file": file}, **options)


# --- the text of a PDF -------------------------------------------------------------------------


def needs_poppler() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed: make install")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text, as pdftotext extracts it."""
    needs_poppler()
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def squeeze(text: str) -> str:
    """Without white space: lines wrap anywhere in Japanese, and a long text wraps at all."""
    return re.sub(r"\s+", "", text)


# --- row locks ---------------------------------------------------------------------------------


def blocked_on_a_lock(timeout: float = 10) -> bool:
    """Whether another connection is waiting for a row lock (PostgreSQL), within `timeout`."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics are a snapshot per transaction, and this runs in one: take a new one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
