"""Vendors answer by link (SPEC 4.6, issue 17): the vendor's side. Kenji (consultant) invites
Mirai Outsourcing to the BPO package of Sakura Trading and issues a link; 田中さん of Mirai opens
it in a browser without any account or session, reads the request, saves a draft, comes back,
submits and gets a receipt. The door is to the outside: every token that finds no working link
gets the same plain 404, an address is limited, the headers keep the token out of referrers,
caches and search engines, and nothing of the organisation but the package's request shows."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessments.domain import independence
from assessments.models import Assessment, Package
from assessments.models.steps import RfpDraft
from assessments.web import rfp_views
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import OUTSOURCEABLE, make_certified_vendor, make_task
from vendors.models import Bid, Submission, SubmissionStatus, VendorLink
from vendors.services import links, portal, review
from vendors.web import throttle
from vendors.web.portal_forms import STATEMENTS, named

pytestmark = pytest.mark.django_db

SECURITY_ITEMS = ["certifications", "access_control", "audit_logs", "resubcontracting",
                  "incident_response"]  # fmt: skip
TANAKA = "田中 みらい"


# --- the people, the packages and the links -------------------------------------------------------


@pytest.fixture
def mirai_bid(invited: tuple[Bid, Bid]) -> Bid:
    """Mirai Outsourcing's bid for the BPO package (Sakura Business is invited too)."""
    return invited[0]


@pytest.fixture
def token(mirai_bid: Bid, consultant) -> str:
    """The link Kenji issued to Mirai, in English."""
    return links.issue(mirai_bid, consultant, language="en")[1]


@pytest.fixture
def vendor() -> Client:
    """田中さん's browser: no account, no session."""
    return Client()


def page_url(token: str) -> str:
    return reverse("vendor_portal", args=[token])


def submit_url(token: str) -> str:
    return reverse("vendor_portal_submit", args=[token])


def receipt_url(token: str) -> str:
    return reverse("vendor_portal_receipt", args=[token])


def rows(certifications: list[tuple[str, str, str]], initial: int = 0) -> dict[str, str]:
    data = {
        "certifications-TOTAL_FORMS": str(max(len(certifications), 1)),
        "certifications-INITIAL_FORMS": str(initial),
        "certifications-MIN_NUM_FORMS": "0",
        "certifications-MAX_NUM_FORMS": "20",
    }
    for n, (kind, number, expires) in enumerate(certifications):
        data |= {
            f"certifications-{n}-kind": kind,
            f"certifications-{n}-number": number,
            f"certifications-{n}-expires_on": expires,
        }
    return data


def answers(staffing: bool = False, **fields: str) -> dict[str, str]:
    """A complete answer: 田中さん as the contact, a volume-based quote (an hourly one for a
    staffing package), every security item met, every statement yes, a Privacy Mark."""
    data = {
        "contact-name": TANAKA,
        "contact-email": "tanaka@mirai.example.jp",
        "contact-phone": "03-1234-5678",
        **rows([("pmark", "10820123", "2027-03-31")]),
    }
    if staffing:
        data |= {
            "quote-pricing_model": "hourly",
            "quote-unit_price": "2400",
            "quote-annual_volume": "1200",
        }
    else:
        data |= {
            "quote-pricing_model": "volume",
            "quote-initial_fee": "300000",
            "quote-monthly_fee": "80000",
            "quote-unit_price": "450",
            "quote-annual_volume": "12000",
            "quote-quote_note": "月末締め",
        }
        data |= {f"statements-{key}": "yes" for key in independence.KEYS}
    for item in SECURITY_ITEMS:
        data[f"security-{item}-status"] = "met"
        data[f"security-{item}-note"] = ""
    return data | fields


def only(**fields: str) -> dict[str, str]:
    """A post with nothing but `fields` (and an empty list of certifications)."""
    return {**rows([]), **fields}


def html(response: Any) -> str:
    return response.content.decode()


# --- opening the page -----------------------------------------------------------------------------


def test_the_page_opens_without_an_account_or_a_session(vendor, token, mirai_bid, bpo):
    response = vendor.get(page_url(token))
    assert response.status_code == 200
    page = html(response)
    assert "Request for proposal" in page
    assert bpo.document_name in page and "For Mirai Outsourcing." in page
    assert "Payroll" in page and "Invoices" in page  # the package's own tasks: its scope
    assert "No files are uploaded here" in page
    assert "sessionid" not in response.cookies
    assert not vendor.session.keys()
    link = VendorLink.objects.get(bid=mirai_bid)
    assert link.last_opened_at is not None


def test_a_link_without_its_slash_still_opens(vendor, token):
    response = vendor.get(f"/v/{token}")
    assert response.status_code == 301 and response["Location"] == page_url(token)


@pytest.fixture
def dead_tokens(mirai_bid, consultant) -> list[str]:
    """A token never issued, one expired, one revoked, and malformed ones."""
    expired = links.issue(mirai_bid, consultant)
    VendorLink.objects.filter(pk=expired[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    revoked = links.issue(mirai_bid, consultant)
    links.revoke(revoked[0], consultant)
    return ["A" * links.TOKEN_LENGTH, expired[1], revoked[1], "abc", "!" * links.TOKEN_LENGTH]


def test_every_token_that_finds_no_link_gets_the_same_plain_404(vendor, dead_tokens, monkeypatch):
    monkeypatch.setattr(throttle, "MISSES", 100)  # not stopped as guessing (tested below)
    bodies = set()
    for dead in dead_tokens:
        for url in (page_url(dead), receipt_url(dead)):
            response = vendor.get(url)
            assert response.status_code == 404, url
            bodies.add(html(response))
        response = vendor.post(submit_url(dead), answers())
        assert response.status_code == 404
        bodies.add(html(response))
    for other in ("/v/", "/v/a/b/"):
        response = vendor.get(other)
        assert response.status_code == 404
        bodies.add(html(response))
    assert len(bodies) == 1
    body = bodies.pop()
    assert "Ask the consultant who sent it for a new link." in body
    assert '<section lang="ja"' in body and '<section lang="en">' in body  # whatever the vendor's
    assert "Mirai" not in body and "Sakura" not in body and "/assessments" not in body
    assert not Submission.objects.exists()


# --- what the vendor sees -----------------------------------------------------------------------


@pytest.fixture
def other_organisation(company_b, consultant) -> tuple[Bid, str]:
    """Midori Seiki's own package, with Kaze Partners invited and given a link by Kenji."""
    assessment = Assessment.objects.start(organisation=company_b, name="Midori back office")
    make_task(
        assessment,
        department="Factory",
        process="Shipping",
        task="Customs forms",
        category="accounting",
        minutes=Decimal(90),
        **OUTSOURCEABLE,
    )
    assessment.recompute_results()
    assessment.create_packages()
    package = assessment.packages.get()
    kaze = make_certified_vendor("Kaze Partners", ["bpo"], "isms")
    bid = Bid.invite(package, kaze)[0]
    return bid, links.issue(bid, consultant, language="en")[1]


def test_the_page_shows_only_its_own_package_of_its_own_organisation(
    vendor, token, checked, bpo, other_organisation
):
    # A task of the same department kept in-house: the RFP's exclusions, never shown.
    make_task(
        checked,
        position=9,
        department="HR",
        process="Policy",
        task="Salary reviews",
        category="hr",
        answers={"C1": "yes", "C2": "yes"},
    )
    checked.recompute_results()
    facts = rfp_views.rfp_facts(checked, bpo)
    cost = f"{facts.annual_cost.quantize(Decimal('1')):,}"
    mine = html(vendor.get(page_url(token)))
    theirs = html(vendor.get(page_url(other_organisation[1])))
    assert "Payroll" in mine and "Customs forms" in theirs
    for absent in (
        "Helpdesk",  # another package's task
        "Strategy",  # a core task kept in-house
        "Salary reviews",  # kept in-house in the package's own department
        "Sakura Business",  # the other vendor invited
        "Midori",  # the other organisation
        "Kaze Partners",
        "Customs forms",
        cost,
        "in-house cost",
    ):
        assert absent not in mine, absent
    for absent in ("Sakura Trading", "Mirai", "Payroll", "Invoices"):
        assert absent not in theirs, absent


def test_a_saved_rfp_draft_is_shown_as_edited_but_never_with_the_in_house_cost(
    vendor, token, checked, bpo, consultant
):
    with translation.override("en"):
        sections = rfp_views.drafted(checked, bpo)
    assert "in-house cost about ¥" in sections["current_state"]
    sections["communication"] = "Weekly call with 佐藤 (総務部) on Tuesdays."
    RfpDraft.generate(bpo, sections, "en", consultant)
    page = html(vendor.get(page_url(token)))
    assert "Weekly call with 佐藤 (総務部) on Tuesdays." in page
    assert "in-house cost" not in page and "¥" not in page
    assert "Volume today:" in page  # the counts and hours stay
    assert "A summary drawn from the client's work inventory" not in page


def test_a_draft_in_another_language_says_so(vendor, token, checked, bpo, consultant):
    with translation.override("ja"):
        RfpDraft.generate(bpo, rfp_views.drafted(checked, bpo), "ja", consultant)
    page = html(vendor.get(page_url(token)))
    assert "The request is written in 日本語." in page
    assert '<div lang="ja" data-brief>' in page


def test_no_link_on_the_page_leads_into_the_app(vendor, token):
    vendor.post(page_url(token), answers())
    for url in (page_url(token), page_url(token) + "?saved=1"):
        page = html(vendor.get(url))
        targets = re.findall(r'(?:href|action|formaction|src)="([^"]*)"', page)
        assert targets
        for target in targets:
            assert target.startswith((f"/v/{token}/", "/static/", "#")), target
        assert "navbar-nav" not in page and "Sign out" not in page


def test_the_page_follows_the_vendors_language(vendor, mirai_bid, consultant):
    token = links.issue(mirai_bid, consultant, language="ja")[1]
    japanese = vendor.get(page_url(token))
    assert "提案依頼書" in html(japanese) and '<html lang="ja">' in html(japanese)
    assert japanese["Content-Language"] == "ja"
    english = vendor.get(page_url(token) + "?lang=en")
    assert "How to answer" in html(english)
    assert english.cookies["vendor_language"].value == "en"
    assert english.cookies["vendor_language"]["path"] == "/v/"
    assert "How to answer" in html(vendor.get(page_url(token)))  # the cookie remembers
    assert "sessionid" not in english.cookies


# --- drafts and submissions -----------------------------------------------------------------------


def test_a_draft_is_saved_and_shown_again(vendor, token, mirai_bid):
    response = vendor.post(
        page_url(token), only(**{"contact-name": TANAKA, "quote-monthly_fee": "80000"})
    )
    assert response.status_code == 302 and response["Location"] == page_url(token) + "?saved=1"
    submission = Submission.objects.get(bid=mirai_bid)
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.contact["name"] == TANAKA
    assert submission.quote["monthly_fee"] == "80000"
    page = html(vendor.get(response["Location"]))
    assert "Your draft is saved." in page
    assert f'value="{TANAKA}"' in page and 'value="80000"' in page
    event = Event.objects.get(subject_type=SubjectType.SUBMISSION)
    assert event.action == Action.CHANGED and event.actor is None
    assert event.details["vendor"] == "Mirai Outsourcing"
    assert event.assessment_id == mirai_bid.package.assessment_id


def test_a_post_naming_another_bid_changes_only_the_links_own(
    vendor, token, invited, other_organisation
):
    mirai, sakura = invited
    kaze = other_organisation[0]
    forged = answers(
        bid=str(sakura.pk), package=str(kaze.package_id), vendor=str(kaze.vendor_id), link="1"
    )
    assert vendor.post(page_url(token), forged).status_code == 302
    assert list(Submission.objects.values_list("bid", flat=True)) == [mirai.pk]
    assert vendor.post(submit_url(token), forged).status_code == 302
    assert list(Submission.objects.values_list("bid", flat=True)) == [mirai.pk]


def test_an_incomplete_submission_is_refused_naming_each_field_and_nothing_is_saved(
    vendor, token, mirai_bid
):
    vendor.post(page_url(token), only(**{"contact-name": TANAKA}))
    before = Submission.objects.get().updated_at
    response = vendor.post(submit_url(token), only(**{"contact-name": "別の人"}))
    assert response.status_code == 400
    page = html(response)
    assert "Nothing was submitted: correct these fields first." in page
    problems = [p.message for p in response.context["problems"]]
    assert "E-mail: This field is required." in problems
    assert "Pricing model: This field is required." in problems
    assert "Enter a monthly fee, a unit price, or both." in problems
    for label in ("Certifications", "Access control", "Audit logs", "Re-subcontracting"):
        assert f"{label}: This field is required." in problems
    for number in range(1, len(independence.KEYS) + 1):
        assert f"Statement {number}: Answer yes or no." in problems
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT and submission.updated_at == before
    assert submission.contact["name"] == TANAKA


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quote-annual_volume": ""}, "A unit price needs the annual volume."),
        (
            {"quote-annual_volume_low": "100", "quote-annual_volume_high": "20000"},
            "only an outcome-based quote has a range",
        ),
        (
            {
                "quote-pricing_model": "outcome",
                "quote-annual_volume_low": "13000",
                "quote-annual_volume_high": "20000",
            },
            "Lowest annual volume: at most the annual volume (12,000).",
        ),
        ({"quote-pricing_model": "hourly"}, "Select a valid choice."),
        ({"quote-monthly_fee": "-5"}, "greater than or equal to 0"),
        ({"security-audit_logs-status": "not_met"}, "Say in the note what is missing"),
        ({"contact-email": "tanaka@"}, "Enter a valid email address."),
        ({"certifications-0-kind": "dispatch", "certifications-0-number": ""}, "許可番号"),
        (
            {"certifications-0-kind": "dispatch", "certifications-0-number": "13-1234"},
            "派13-123456",
        ),
    ],
)
def test_a_submission_follows_the_consultants_rules(vendor, token, fields, message):
    response = vendor.post(submit_url(token), answers(**fields))
    assert response.status_code == 400
    assert message in " ".join(p.message for p in response.context["problems"])
    assert not Submission.objects.exists()


def test_a_draft_may_wait_for_a_licence_number_but_not_for_a_well_formed_amount(vendor, token):
    draft = only(**{"certifications-0-kind": "sharoushi", "certifications-0-number": ""})
    assert vendor.post(page_url(token), draft).status_code == 302
    assert Submission.objects.get().certifications == [
        {"kind": "sharoushi", "number": "", "expires_on": None}
    ]
    response = vendor.post(page_url(token), only(**{"quote-unit_price": "four hundred"}))
    assert response.status_code == 400
    assert "Nothing was saved" in html(response)


def test_a_submission_gives_a_receipt_and_can_no_longer_change(vendor, token, mirai_bid):
    response = vendor.post(submit_url(token), answers())
    assert response.status_code == 302 and response["Location"] == receipt_url(token)
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.submitted_at
    assert submission.quote == {
        "pricing_model": "volume",
        "initial_fee": "300000",
        "monthly_fee": "80000",
        "unit_price": "450",
        "annual_volume": "12000",
        "annual_volume_low": None,
        "annual_volume_high": None,
        "quote_note": "月末締め",
    }
    assert submission.statements == dict.fromkeys(independence.KEYS, "yes")
    assert submission.security["audit_logs"] == {"status": "met", "note": ""}
    reference = portal.reference(submission)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", reference)
    assert str(submission.pk) not in reference
    receipt = html(vendor.get(receipt_url(token)))
    assert reference in receipt and TANAKA in receipt and "¥80,000" in receipt
    assert "月末締め" in receipt and "Privacy Mark" in receipt and "2027-03-31" in receipt

    page = vendor.get(page_url(token))
    assert f"reference {reference}" in html(page)
    assert 'name="contact-name"' not in html(page)  # read-only
    for url in (page_url(token), submit_url(token)):
        refused = vendor.post(url, answers(**{"contact-name": "別の人"}))
        assert refused.status_code == 409
        assert "already submitted: nothing was changed" in html(refused)
    submission.refresh_from_db()
    assert submission.contact["name"] == TANAKA and submission.status == "submitted"
    event = Event.objects.get(action=Action.SUBMITTED, subject_type=SubjectType.SUBMISSION)
    assert event.details["reference"] == reference and event.actor is None


def test_a_returned_submission_can_be_changed_and_submitted_again(
    vendor, token, consultant, mirai_bid
):
    vendor.post(submit_url(token), answers())
    first = Submission.objects.get()
    first_reference = portal.reference(first)
    review.return_submission(first, consultant, "初期費用の内訳を<b>分けて</b>ください。")
    page = html(vendor.get(page_url(token)))
    assert "The consultant returned your answers with this comment:" in page
    assert "初期費用の内訳を&lt;b&gt;分けて&lt;/b&gt;ください。" in page
    assert 'name="contact-name"' in page
    assert (
        vendor.post(page_url(token), answers(**{"quote-initial_fee": "250000"})).status_code == 302
    )
    assert Submission.objects.get().status == SubmissionStatus.RETURNED  # until submitted again
    assert (
        vendor.post(submit_url(token), answers(**{"quote-initial_fee": "250000"})).status_code
        == 302
    )
    again = Submission.objects.get()
    assert again.pk == first.pk and again.status == SubmissionStatus.SUBMITTED
    assert again.quote["initial_fee"] == "250000"
    assert portal.reference(again) != first_reference


def test_an_accepted_submission_is_read_only_and_says_so(vendor, token, consultant):
    vendor.post(submit_url(token), answers())
    review.accept(Submission.objects.get(), consultant)
    page = vendor.get(page_url(token))
    assert "Accepted on" in html(page) and 'name="contact-name"' not in html(page)
    assert vendor.post(page_url(token), answers()).status_code == 409
    assert vendor.get(receipt_url(token)).status_code == 200


def test_a_new_link_after_an_acceptance_starts_from_the_accepted_answers(
    vendor, token, consultant, mirai_bid
):
    vendor.post(submit_url(token), answers())
    review.accept(Submission.objects.get(), consultant)
    newer = links.issue(mirai_bid, consultant, language="en")[1]
    assert vendor.get(page_url(token)).status_code == 404  # the old link was replaced
    page = html(vendor.get(page_url(newer)))
    assert "Your answers accepted earlier are filled in below" in page
    assert f'value="{TANAKA}"' in page
    assert vendor.post(submit_url(newer), answers()).status_code == 302
    assert Submission.objects.filter(bid=mirai_bid).count() == 2


def test_a_re_issued_link_shows_the_draft_of_the_earlier_one(vendor, token, consultant, mirai_bid):
    vendor.post(page_url(token), only(**{"contact-name": TANAKA}))
    newer = links.issue(mirai_bid, consultant, language="en")[1]
    assert f'value="{TANAKA}"' in html(vendor.get(page_url(newer)))


def test_a_link_revoked_while_the_vendor_types_saves_nothing(vendor, token, consultant, mirai_bid):
    vendor.get(page_url(token))
    links.revoke(mirai_bid.links.get(), consultant)
    assert vendor.post(submit_url(token), answers()).status_code == 404
    assert not Submission.objects.exists()


def test_a_staffing_package_asks_for_an_hourly_rate_and_no_statements(
    vendor, staffing_package: Package, consultant
):
    hoshi = make_certified_vendor("Hoshi Staff", ["dispatch"], "dispatch")
    bid = Bid.invite(staffing_package, hoshi)[0]
    token = links.issue(bid, consultant, language="en")[1]
    response = vendor.get(page_url(token))
    page = html(response)
    assert "Staffing request" in page and "Front desk" in page
    assert "Hourly rate (yen)" in page and 'name="quote-monthly_fee"' not in page
    assert "告示37号 statements" not in page and 'name="statements-' not in page
    assert response.context["quote_form"]["annual_volume"].value() == Decimal("1200.00")
    fields = answers(staffing=True, **rows([("dispatch", "派13-123456", "2028-01-31")]))
    assert vendor.post(submit_url(token), fields).status_code == 302
    submission = Submission.objects.get(bid=bid)
    assert submission.quote == {
        "pricing_model": "hourly",
        "unit_price": "2400",
        "annual_volume": "1200",
        "quote_note": "",
    }
    assert submission.statements == {}
    assert submission.certifications[0]["number"] == "派13-123456"


# --- the door -------------------------------------------------------------------------------------


def test_csrf_is_enforced(token):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(page_url(token))
    assert browser.post(page_url(token), answers()).status_code == 403
    assert not Submission.objects.exists()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(page)).group(1)
    assert (
        browser.post(page_url(token), {**answers(), "csrfmiddlewaretoken": csrf}).status_code == 302
    )


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_every_answer_keeps_the_token_out_of_caches_referrers_and_search_engines(
    vendor, token, monkeypatch
):
    vendor.post(submit_url(token), answers())
    responses = [vendor.get(page_url(token)), vendor.get(receipt_url(token))]
    responses.append(vendor.get(page_url("B" * links.TOKEN_LENGTH)))
    monkeypatch.setattr(throttle, "REQUESTS_PER_MINUTE", 0)
    responses.append(vendor.get(page_url(token)))
    assert [r.status_code for r in responses] == [200, 200, 404, 429]
    for response in responses:
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "same-origin"
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
        assert "<script" not in html(response)


def test_an_address_asking_too_often_gets_a_plain_429(vendor, token, monkeypatch):
    monkeypatch.setattr(throttle, "REQUESTS_PER_MINUTE", 3)
    assert [vendor.get(page_url(token)).status_code for _ in range(3)] == [200] * 3
    limited = vendor.get(page_url(token))
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 60
    assert "Too many requests from your network." in html(limited)
    assert Client(REMOTE_ADDR="192.0.2.8").get(page_url(token)).status_code == 200


def test_an_address_guessing_tokens_is_stopped_sooner(vendor, token, monkeypatch):
    monkeypatch.setattr(throttle, "MISSES", 2)
    for guess in ("C" * links.TOKEN_LENGTH, "D" * links.TOKEN_LENGTH):
        assert vendor.get(page_url(guess)).status_code == 404
    assert vendor.get(page_url(token)).status_code == 429  # even a working link, for a while
    assert Client(REMOTE_ADDR="192.0.2.9").get(page_url(token)).status_code == 200


SCRIPT = "<script>alert(1)</script>"


def test_everything_typed_is_escaped(vendor, token, bpo, consultant):
    bpo.name = f"BPO {SCRIPT}"
    bpo.save()
    RfpDraft.generate(bpo, {"purpose": f"<b id=xss>{SCRIPT}"}, "en", consultant)
    typed = {
        "contact-name": SCRIPT,
        "contact-phone": "",
        "quote-quote_note": SCRIPT,
        "security-audit_logs-note": SCRIPT,
        **rows([("other", SCRIPT, "")]),
    }
    assert vendor.post(page_url(token), only(**typed)).status_code == 302
    page = html(vendor.get(page_url(token)))
    assert "<script" not in page and "<b id=xss" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    vendor.post(submit_url(token), answers(**typed))
    for url in (page_url(token), receipt_url(token)):
        page = html(vendor.get(url))
        assert "<script" not in page and "&lt;script&gt;" in page


# --- the pieces ----------------------------------------------------------------------------------


def test_every_statement_of_the_checklist_is_worded_for_the_vendor():
    assert list(STATEMENTS) == list(independence.KEYS)


@pytest.mark.parametrize(
    ("label", "message", "shown"),
    [
        ("E-mail", "This field is required.", "E-mail: This field is required."),
        ("Hourly rate (yen)", "Hourly rate: the rate in yen.", "Hourly rate: the rate in yen."),
        ("Statement 2", "Answer yes or no.", "Statement 2: Answer yes or no."),
        ("時給（円）", "時給：円で入力してください。", "時給：円で入力してください。"),
    ],
)  # fmt: skip
def test_a_problem_names_its_field_once(label, message, shown):
    with translation.override("en"):
        assert named(label, message) == shown


def test_the_reference_is_the_submissions_own_and_changes_with_each_submission(mirai_bid):
    link = VendorLink.objects.create(
        bid=mirai_bid, token_hash="x", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert portal.reference(Submission(bid=mirai_bid)) == ""
    first = portal.submit(link, portal.Answers())
    again = Submission.objects.get()
    assert portal.reference(first) == portal.reference(again)  # as stored, as read back
    Submission.objects.filter(pk=first.pk).update(
        submitted_at=first.submitted_at + datetime.timedelta(seconds=1)
    )
    first.refresh_from_db()
    assert portal.reference(first) != portal.reference(again)
