"""The reviewer's findings on staffing packages and generated documents: a staffing package is
worded for staffing agencies (派遣会社), not outsourcing vendors; knock-out reasons are listed one
per line, naming the model; documents print package names in full; the RFP's running header is
never a lone "|"; and the report's counts and hours say which tasks they count. Kenji
(consultant) works on the Packages assessment with its front desk for dispatch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.models import Assessment, Package
from assessments.models.steps import RfpDraft
from assessments.reporting import report
from tests.factories import NON_CORE, OUTSOURCEABLE, make_certified_vendor, make_task
from tests.helpers import needs_poppler, pdf_text, squeeze
from vendors.models import Bid, SecurityCheck

pytestmark = pytest.mark.django_db


def url(name: str, package: Package) -> str:
    return reverse(name, args=[package.assessment_id, package.pk])


def test_a_staffing_package_asks_staffing_agencies_for_quotes(
    consultant_client: Client, consultant, staffing_package: Package
):
    staffed = staffing_package.assessment
    bpo = staffed.packages.get(model="bpo")
    page = consultant_client.get(url("package_vendors", staffing_package)).content.decode()
    assert "Staffing agencies asked for quotes" in page
    assert "No staffing agency has been asked for a quote for this package yet." in page
    assert "Ask a staffing agency from the registry for a quote" in page
    assert "Invited vendors and their quotes" not in page and "No vendor is invited" not in page
    page = consultant_client.get(url("package_vendors", bpo)).content.decode()
    assert "Invited vendors and their quotes" in page and "Staffing agencies" not in page
    cards = consultant_client.get(reverse("packages", args=[staffed.pk])).content.decode()
    assert cards.count("Staffing agencies, quotes and ranking") == 1
    with translation.override("en"):
        content = report.build_report(staffed, viewer=consultant)
    steps = [step.title for step in content.next_steps]
    assert f"Ask staffing agencies for quotes for “{staffing_package.name}”" in steps
    assert f"Invite vendors to “{staffing_package.name}”" not in steps
    assert f"Invite vendors to “{bpo.name}”" in steps


def test_knock_outs_are_listed_one_per_line_naming_the_model(
    consultant_client: Client, staffing_package: Package
):
    make_certified_vendor("Mirai BPO", ["bpo"], "isms")
    page = consultant_client.get(url("package_vendors", staffing_package)).content.decode()
    assert "Does not offer this model: Dispatch (temporary staff)" in page
    assert "this package&#x27;s model" not in page and "this package's model" not in page
    # A BPO vendor with no certification and a security item not met, invited to the BPO package
    # (personal data): two reasons, each on its own line, the data said once.
    bpo = staffing_package.assessment.packages.get(model="bpo")
    lax = make_certified_vendor("Lax BPO", ["bpo"])
    SecurityCheck.objects.create(vendor=lax, item="audit_logs", status="not_met")
    Bid.objects.create(package=bpo, vendor=lax)
    page = consultant_client.get(url("package_vendors", bpo)).content.decode()
    row = page[page.index('data-vendor="Lax BPO"') :]
    reasons = row[row.index("data-reasons") : row.index("</ul>")]
    assert reasons.count("<li>") == 2 and "; " not in reasons
    assert reasons.count("the package holds confidential or personal data") == 1
    assert "Security check not met (Audit logs)</li>" in reasons


def test_documents_print_the_package_name_in_full(
    consultant_client: Client, consultant, checked: Assessment
):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    # A default name from before: cut short on the card, in full in every document.
    Package.objects.filter(pk=bpo.pk).update(name="BPO: HR…")
    bpo.refresh_from_db()
    assert bpo.document_name == "BPO: HR, Accounting"
    consultant_client.post(url("package_rfp", bpo), {"action": "generate", "language": "en"})
    text = "\n".join(RfpDraft.objects.get(package=bpo).sections.values())
    assert "“BPO: HR, Accounting”" in text and "…" not in text
    with translation.override("en"):
        content = report.build_report(checked, viewer=consultant)
    prose = [risk.evidence for risk in content.risks] + [
        f"{step.title} {step.detail}" for step in content.next_steps
    ]
    assert [sentence for sentence in prose if "BPO: HR, Accounting" in sentence]
    assert not [sentence for sentence in prose if "…" in sentence]
    page = consultant_client.get(reverse("packages", args=[checked.pk])).content.decode()
    assert "BPO: HR…" in page  # the card as it is
    ito = checked.packages.get(model="ito")
    ito.rename("Our IT…")  # a name the consultant chose is printed as it is
    assert Package.objects.get(pk=ito.pk).document_name == "Our IT…"


def test_the_rfp_header_names_the_organisation_and_the_package(
    consultant_client: Client, staffing_package: Package, tmp_path
):
    needs_poppler()
    staffed = staffing_package.assessment
    for package, kind in (
        (staffed.packages.get(model="bpo"), "Request for proposal"),
        (staffing_package, "Staffing request"),
    ):
        consultant_client.post(url("package_rfp", package), {"action": "generate"})
        text = pdf_text(consultant_client.get(url("package_rfp_pdf", package)).content, tmp_path)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == f"{staffed.organisation.name} | {package.document_name}"
        assert "|" not in lines
        assert squeeze(kind) in squeeze(text)


def test_the_report_says_which_borderline_tasks_and_hours_it_counts(checked, consultant):
    borderline = {**NON_CORE, "C3": "no", "C9": "no", "C10": "no"}
    for name in ("Closing", "Payments", "Budget report"):
        make_task(
            checked,
            department="Accounting",
            task=name,
            minutes=Decimal("0.5"),  # half a minute a month: 0.1 h a year
            **{**OUTSOURCEABLE, "answers": borderline},
        )
    checked.recompute_results()
    checked.tasks.get(task="Closing").set_override("in_house", "Kept for now.", consultant)
    with translation.override("en"):
        content = report.build_report(checked, viewer=consultant)
    assert ("borderline", "Borderline", 3) in content.verdict_counts
    pilots = next(step for step in content.next_steps if step.title == "Plan the pilots")
    # Three borderline tasks in all; one stays in-house, two go to a vendor.
    assert pilots.detail.startswith("2 of the 3 borderline tasks go to a vendor")
    # Hours to one decimal, as every other figure of the report: 0.1 h is not rounded away.
    quality = next(risk for risk in content.risks if risk.code == "quality")
    assert "2 tasks (0.2 h a year)" in quality.evidence
