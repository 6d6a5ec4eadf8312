"""Pages read on a phone (390 px) as well as on a desktop: the reviewer's findings of squeezed
columns and pages scrolling sideways. Kenji (consultant) opens each page; the markup and the site's
stylesheet must stack the narrow parts on a phone and keep wide tables in a box that scrolls
sideways (`.table-responsive`). The browser check of every page's width is the e2e accessibility
test (tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_certified_vendor
from tests.helpers import bid_url
from vendors.models import Bid

pytestmark = pytest.mark.django_db

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")


def phone_rules() -> str:
    """The rules of the stylesheet's small-screen media queries, run together."""
    return " ".join(re.findall(r"@media \(max-width: (?:575|767)\.98px\) \{(.*?)\n\}", CSS, re.S))


def table_of(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[page.rindex("<", 0, start) : page.index("</table>", start)]


def test_the_checklist_puts_each_items_answers_under_it_on_a_phone(consultant_client, bpo):
    """告示37号: the answers no longer sit in a column that will not wrap (each item was squeezed
    to two or three characters a line)."""
    url = reverse("package_independence", args=[bpo.assessment_id, bpo.pk])
    page = consultant_client.get(url).content.decode()
    table = table_of(page, 'class="table table-sm align-middle independence-checklist"')
    assert "text-nowrap" not in table
    assert '<thead><tr class="d-none d-md-table-row">' in table  # no header row on a phone
    assert table.count('<td class="answers">') == table.count("<tr data-item=") >= 7
    phone = phone_rules()
    assert ".independence-checklist th, .independence-checklist td { display: block;" in phone
    assert ".independence-checklist td.answers { white-space: normal;" in phone
    # From md up the answers stay on one line beside the item.
    assert ".independence-checklist td.answers { white-space: nowrap; }" in CSS


def test_the_packages_page_shows_the_department_under_the_task_on_a_phone(consultant_client, bpo):
    page = consultant_client.get(reverse("packages", args=[bpo.assessment_id])).content.decode()
    assert '<div class="table-responsive">\n      <table class="table table-sm small mb-2 ' in page
    assert '<th scope="col" class="d-none d-md-table-cell">Department</th>' in page
    payroll = bpo.tasks.get(task="Payroll")
    assert '<td class="d-none d-md-table-cell">HR</td>' in page
    check = reverse("task_check", args=[bpo.assessment_id, payroll.pk])
    assert (
        f'<td class="package-task"><a href="{check}">Payroll</a>'
        '<div class="d-md-none text-body-secondary" data-department>HR</div></td>'
    ) in page
    assert ".package-tasks .package-task { min-width: 9rem; }" in CSS
    assert '<dl class="package-figures d-flex flex-wrap gap-3 mb-0 small">' in page


def test_the_vendor_tables_scroll_sideways_with_readable_columns(consultant_client, bpo):
    """The quotes, the invite list and the ranking scroll in their box (focusable, for the
    arrow keys) instead of squeezing the reasons to a few characters a line."""
    for name, services in (("Mirai Outsourcing", ["bpo"]), ("Tozai Research", ["kpo"])):
        vendor = make_certified_vendor(name, services, "isms")
        if name.startswith("Mirai"):
            Bid.invite(bpo, vendor)
    page = consultant_client.get(bid_url("package_vendors", bpo)).content.decode()
    for heading in ("costs-heading", "invite-list-heading"):
        assert (
            f'<div class="table-responsive" tabindex="0" role="group" aria-labelledby="{heading}">'
        ) in page
    assert '<dl class="package-figures d-flex flex-wrap gap-3 mb-0 small">' in page
    assert '[data-table="ranking"] td:last-child { min-width: 20rem; }' in CSS
    assert '[data-table="invite-list"] td { min-width: 12rem; }' in CSS
    assert '[data-table="quotes"] th[scope="row"], [data-table="ranking"] th[scope="row"] { ' in (
        phone_rules()
    )


def test_the_vendor_forms_licence_and_security_rows_stack_on_a_phone(consultant_client):
    vendor = make_certified_vendor("Minato Partners", ["bpo"], "pmark")
    page = consultant_client.get(reverse("vendor_edit", args=[vendor.pk])).content.decode()
    rows = page.split('<div class="row g-2 align-items-start border-bottom pb-2 mb-2" data-row=')[
        1:
    ]
    assert len(rows) >= 2
    columns = re.findall(r'<div class="(col-[^"]+)">', rows[0])
    assert columns[:3] == ["col-12 col-md-5", "col-12 col-sm-6 col-md-3", "col-8 col-sm-4 col-md-3"]
    assert columns[3].startswith("col-4 col-sm-2 col-md-1")
    # Each field keeps its own label for screen readers; the column's name shows above it on a
    # phone only.
    assert (
        '<div class="d-md-none small text-body-secondary" aria-hidden="true">Expires on'
        in (rows[0])
    )
    assert 'class="visually-hidden" for="id_certifications-0-kind">Certification 1: kind' in page
    assert '<table class="table table-sm align-top security-check">' in page
    assert ".security-check th, .security-check td { display: block;" in phone_rules()


def test_the_overview_keeps_amounts_whole_and_the_quadrant_in_its_box(consultant_client, checked):
    page = consultant_client.get(reverse("assessment_detail", args=[checked.pk])).content.decode()
    box = (
        r'<div class="table-responsive" tabindex="0" role="group" '
        r'aria-labelledby="quadrant-heading">'
    )
    assert re.search(box + r'\s*<table class="table table-bordered table-sm quadrant ', page)
    assert "tabular-nums; white-space: nowrap; }" in CSS  # ¥21,560,800 never breaks inside
    assert ".figure-card .value { font-size: 1.2rem; }" in phone_rules()


def test_the_quadrant_of_the_pdf_report_has_no_scrolling_box():
    """The report includes the same quadrant partial: the box is the web page's alone."""
    template = Path(settings.BASE_DIR) / "templates" / "assessments" / "_quadrant.html"
    assert "table-responsive" not in template.read_text(encoding="utf-8")
