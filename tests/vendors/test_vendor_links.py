"""Vendors answer by link, the consultant's side (SPEC 4.6, issue 17): Kenji (consultant) issues
Mirai a link for the BPO package (payroll and invoices, with personal data), sees it once and
copies it or mails it, revokes it or issues another; Mirai answers behind it (the vendor's side,
vendors/services/portal.py, stands in for its page here); Kenji reviews the submission beside
what the package holds and accepts it into the bid or returns it with a comment. Hanako
(manager) and a viewer see the states; only a consultant acts; an outsider gets 404."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Package
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import SECURITY_ITEMS, make_certified_vendor, make_package
from tests.helpers import bid_url as url
from vendors.models import Bid, Certification, Submission, SubmissionStatus, VendorLink
from vendors.services import links, portal, selection

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"/v/([A-Za-z0-9_-]{43})/")
NEXT_YEAR = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
PAYLOAD = "\"'><b id=xss>"


def answers(**parts: object) -> portal.Answers:
    """What Mirai enters behind its link: a subscription quote, the security check all met, the
    告示37号 statements in its favour, its Privacy Mark with number and expiry."""
    given: dict[str, object] = {
        "contact": {"name": "鈴木 一郎", "email": "suzuki@mirai.example.co.jp", "phone": ""},
        "quote": {
            "pricing_model": "subscription",
            "initial_fee": "300000",
            "monthly_fee": "480000",
            "unit_price": None,
            "annual_volume": None,
            "annual_volume_low": None,
            "annual_volume_high": None,
            "quote_note": "年間契約",
        },
        "security": {item: {"status": "met", "note": ""} for item in SECURITY_ITEMS},
        "statements": {
            "instructs": "yes",
            "manages_hours": "yes",
            "keeps_order": "yes",
            "own_funds": "yes",
            "own_responsibility": "yes",
            "more_than_labour": "yes",
            "off_site": "no",
        },
        "certifications": [{"kind": "pmark", "number": "10820001", "expires_on": NEXT_YEAR}],
    }
    given.update(parts)
    return portal.Answers(**given)  # type: ignore[arg-type]


def issue_form(bid: Bid, *, seen: str = "", days: int | str = 14, **more: str) -> dict:
    prefix = f"link-{bid.pk}-"
    form = {f"{prefix}seen": seen, f"{prefix}days": days, f"{prefix}language": "ja"}
    form.update({f"{prefix}{name}": value for name, value in more.items() if name != "action"})
    form["action"] = more.get("action", "copy")
    return form


def issue(client, package: Package, bid: Bid, **form: object):
    return client.post(url("bid_link_issue", package, bid.pk), issue_form(bid, **form))


def token_of(response) -> str:
    found = TOKEN.findall(response.content.decode())
    assert found, "the issued page shows the link"
    return found[0]


def page(client, package: Package) -> str:
    response = client.get(url("package_vendors", package))
    assert response.status_code == 200
    return response.content.decode()


def link_row(html: str, bid: Bid) -> str:
    return html.split(f'id="link-{bid.pk}"')[1].split("</tr>")[0]


def review_url(package: Package, submission: Submission) -> str:
    return url("submission_review", package, submission.bid_id, submission.pk)


def stamps(html: str) -> dict[str, str]:
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html)[1] for name in ("seen", "seen_bid")
    }


@pytest.fixture
def mirai_bid(invited) -> Bid:
    return invited[0]


@pytest.fixture
def submitted(consultant, mirai_bid) -> Submission:
    """Mirai's answers, submitted through the link Kenji issued."""
    link, _token = links.issue(mirai_bid, consultant)
    return portal.submit(link, answers())


# --- issuing, revoking, issuing again ---------------------------------------------------------


def test_kenji_issues_a_link_and_sees_it_only_once(consultant_client, bpo, mirai_bid):
    html = page(consultant_client, bpo)
    assert 'data-link-state="none"' in link_row(html, mirai_bid)

    response = issue(consultant_client, bpo, mirai_bid)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = token_of(response)
    body = response.content.decode()
    assert f"http://testserver/v/{token}/" in body and "data-copy" in body
    assert "It works until" in body and "from now" in body  # the expiry in words
    link = links.find(token)
    assert link is not None and link.bid == mirai_bid and link.created_by.username == "kenji"
    assert link.token_hash != token and token not in VendorLink.objects.values_list(
        "token_hash", flat=True
    )
    assert (link.expires_at - timezone.now()).days == 13  # 14 days, less a moment

    again = page(consultant_client, bpo)  # a second GET: the state, never the token
    assert token not in again and "/v/" not in again
    assert 'data-link-state="working"' in link_row(again, mirai_bid)
    assert Event.objects.filter(subject_type=SubjectType.VENDOR_LINK, action=Action.ISSUED).count()


def test_revoking_stops_the_link(consultant_client, bpo, mirai_bid):
    token = token_of(issue(consultant_client, bpo, mirai_bid))
    link = links.find(token)
    response = consultant_client.post(url("bid_link_revoke", bpo, mirai_bid.pk, link.pk))
    assert response.status_code == 302
    assert links.find(token) is None
    assert 'data-link-state="revoked"' in link_row(page(consultant_client, bpo), mirai_bid)
    assert Event.objects.filter(subject_type=SubjectType.VENDOR_LINK, action=Action.REVOKED)


def test_issuing_again_revokes_the_old_link(consultant_client, bpo, mirai_bid):
    first = token_of(issue(consultant_client, bpo, mirai_bid, days=30, language="en"))
    seen = str(links.find(first).pk)
    second = token_of(issue(consultant_client, bpo, mirai_bid, seen=seen, days=3))
    assert links.find(first) is None
    link = links.find(second)
    assert link is not None and link.language == "ja"
    assert (link.expires_at - timezone.now()).days == 2


def test_a_reload_or_a_colleagues_link_is_not_replaced_unseen(consultant_client, bpo, mirai_bid):
    """The form says which link the page showed: posting it again (a reload of the issued page,
    or a page shown before a colleague issued a link) issues nothing."""
    token = token_of(issue(consultant_client, bpo, mirai_bid))
    response = issue(consultant_client, bpo, mirai_bid, seen="")
    assert response.status_code == 302
    assert links.find(token) is not None and mirai_bid.links.count() == 1
    followed = consultant_client.get(response["Location"]).content.decode()
    assert "changed since the page was shown" in followed


@pytest.mark.parametrize("days", [0, 91, "", "x"])
def test_a_link_lasts_one_to_ninety_days(consultant_client, bpo, mirai_bid, days):
    response = issue(consultant_client, bpo, mirai_bid, days=days)
    assert response.status_code == 302 and not mirai_bid.links.exists()
    followed = consultant_client.get(response["Location"]).content.decode()
    assert "from 1 to 90" in followed


# --- who may -----------------------------------------------------------------------------------


def test_hanako_and_the_viewer_see_the_states_but_cannot_act(
    consultant, manager_client, viewer_client, bpo, mirai_bid, submitted
):
    html = page(viewer_client, bpo)
    row = link_row(html, mirai_bid)
    assert 'data-link-state="working"' in row and 'data-submission-state="submitted"' in row
    assert "/links/" not in html and "/submissions/" not in html
    link = mirai_bid.links.get()
    for client in (manager_client, viewer_client):
        assert issue(client, bpo, mirai_bid).status_code == 403
        revoke = url("bid_link_revoke", bpo, mirai_bid.pk, link.pk)
        assert client.post(revoke).status_code == 403
        assert client.get(review_url(bpo, submitted)).status_code == 403
        assert client.post(review_url(bpo, submitted), {"action": "accept"}).status_code == 403
    assert links.working(VendorLink.objects.get()) and mirai_bid.links.count() == 1
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_an_outsider_gets_404_on_every_link_view(outsider_client, bpo, mirai_bid, submitted):
    link = mirai_bid.links.get()
    for target in (
        url("bid_link_issue", bpo, mirai_bid.pk),
        url("bid_link_revoke", bpo, mirai_bid.pk, link.pk),
        review_url(bpo, submitted),
    ):
        assert outsider_client.get(target).status_code in (404, 405)
        assert outsider_client.post(target, {"action": "accept"}).status_code == 404
    assert links.working(VendorLink.objects.get())
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_ids_of_another_package_or_bid_get_404(
    consultant, consultant_client, checked, bpo, invited
):
    """URL tampering: a submission or a link is reached only through its own bid and package."""
    mirai_bid, sakura_bid = invited
    link, _token = links.issue(sakura_bid, consultant)
    theirs = portal.submit(link, answers())
    other = make_package(checked, "ito", "ITO: helpdesk", position=9)
    other_bid = Bid.invite(other, make_certified_vendor("Hikari IT", ["ito"], "isms"))[0]
    for target in (
        url("submission_review", bpo, mirai_bid.pk, theirs.pk),  # another bid's submission
        url("submission_review", other, other_bid.pk, theirs.pk),  # another package's
        url("submission_review", other, sakura_bid.pk, theirs.pk),  # a bid of another package
        url("bid_link_revoke", bpo, mirai_bid.pk, link.pk),  # another bid's link
    ):
        assert consultant_client.get(target).status_code in (404, 405)
        assert consultant_client.post(target, {"action": "accept"}).status_code == 404
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert links.working(link)


# --- the review ----------------------------------------------------------------------------------


def test_the_review_shows_the_submission_beside_what_the_package_holds(
    consultant_client, bpo, mirai_bid, submitted
):
    Certification.objects.filter(vendor=mirai_bid.vendor).update(number="99999999")
    Bid.objects.filter(pk=mirai_bid.pk).update(pricing_model="subscription", monthly_fee=500000)
    html = consultant_client.get(review_url(bpo, submitted)).content.decode()

    def row(table: str, label: str) -> str:
        section = html.split(f'data-table="{table}"')[1].split("</table>")[0]
        return section.split(label)[1].split("</tr>")[0]

    assert "¥500,000" in row("review-quote", "Monthly fee")
    assert "¥480,000" in row("review-quote", "Monthly fee")
    assert "Changed" in row("review-quote", "Monthly fee")
    assert "Added" in row("review-quote", "Initial fee")  # none in the bid, ¥300,000 submitted
    assert "Same" in row("review-quote", "Pricing model")
    # The registry: Mirai's Privacy Mark without expiry, its checks never made (not checked).
    assert "Changed" in row("review-certifications", "Privacy Mark")
    assert "99999999" in row("review-certifications", "Privacy Mark")
    assert "Changed" in row("review-security", "Access control")
    # 常駐: answered against independence, pointed out.
    assert "data-warning" in row("review-statements", "premises")
    assert "鈴木 一郎" in html and "the link issued" in html
    assert "data-knockouts" not in html  # a valid Privacy Mark and every item met: eligible


def test_kenji_accepts_the_submission_into_the_package(
    consultant, consultant_client, bpo, mirai_bid, submitted
):
    html = consultant_client.get(review_url(bpo, submitted)).content.decode()
    response = consultant_client.post(
        review_url(bpo, submitted), {"action": "accept", **stamps(html)}
    )
    assert response.status_code == 302

    bid = Bid.objects.get(pk=mirai_bid.pk)
    assert (bid.pricing_model, bid.initial_fee, bid.monthly_fee) == (
        "subscription",
        Decimal(300000),
        Decimal(480000),
    )
    assert bid.quote_note == "年間契約" and bid.scope_stamp == Package.scope_of(bpo.pk)
    assert bid.registry == {
        "services": ["bpo", "kpo"],
        "certifications": [["pmark", NEXT_YEAR]],
        "security": dict.fromkeys(SECURITY_ITEMS, "met"),
    }
    assert bid.statements["off_site"] == "no" and bid.statements["instructs"] == "yes"
    # The site-wide registry is not changed: Mirai's own entry still has no expiry, no checks.
    assert list(bid.vendor.certifications.values_list("expires_on", flat=True)) == [None]
    assert not bid.vendor.security_checks.exists()
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.ACCEPTED and submitted.reviewed_by == consultant

    accepted = Event.objects.get(subject_type=SubjectType.SUBMISSION, action=Action.ACCEPTED)
    assert accepted.actor == consultant and accepted.details["link_issued"]
    quote = Event.objects.get(subject_type=SubjectType.QUOTE, subject_id=bid.pk)
    assert {c["field"] for c in quote.changes} >= {"initial_fee", "monthly_fee"}
    history = consultant_client.get(
        reverse("assessment_history", args=[bpo.assessment_id])
    ).content.decode()
    assert "Vendor submission" in history and "accepted" in history
    assert "Through the link issued" in history and "告示37号 statement" in history
    assert "¥480,000" in page(consultant_client, bpo)  # the quote is the bid's now


def test_an_accepted_submission_without_isms_or_pmark_excludes_the_vendor(
    consultant, consultant_client, bpo, mirai_bid
):
    """The knock-outs read what the bid holds: accepted answers without a certification exclude
    Mirai from a package with personal data, although the registry still lists its mark."""
    assert selection.knockouts_of(mirai_bid) == []
    link, _token = links.issue(mirai_bid, consultant)
    submission = portal.submit(link, answers(certifications=[]))
    html = consultant_client.get(review_url(bpo, submission)).content.decode()
    assert "data-knockouts" in html  # said before accepting
    response = consultant_client.post(
        review_url(bpo, submission), {"action": "accept", **stamps(html)}, follow=True
    )
    assert "knock-outs exclude Mirai Outsourcing" in response.content.decode()
    reasons = selection.knockouts_of(mirai_bid)
    assert len(reasons) == 1 and "ISMS" in reasons[0]
    chosen = selection.package_selection(bpo)
    assert "Mirai Outsourcing" in chosen.excluded
    assert mirai_bid.vendor.certifications.filter(kind="pmark").exists()


def test_returning_needs_a_comment(consultant, consultant_client, bpo, mirai_bid, submitted):
    html = consultant_client.get(review_url(bpo, submitted)).content.decode()
    response = consultant_client.post(
        review_url(bpo, submitted), {"action": "return", "comment": "  ", **stamps(html)}
    )
    assert response.status_code == 200 and "say what the vendor should change" in (
        response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED

    comment = "月額費用の内訳を記載してください。"
    response = consultant_client.post(
        review_url(bpo, submitted), {"action": "return", "comment": comment, **stamps(html)}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.RETURNED and submitted.review_comment == comment
    assert Bid.objects.get(pk=mirai_bid.pk).monthly_fee is None  # nothing of the bid changed
    event = Event.objects.get(subject_type=SubjectType.SUBMISSION, action=Action.RETURNED)
    assert event.details["comment"] == comment and event.actor == consultant
    row = link_row(page(consultant_client, bpo), mirai_bid)
    assert 'data-submission-state="returned"' in row
    # The vendor changes it and submits again, through the same link.
    again = portal.submit(submitted.link, answers())
    assert again.pk == submitted.pk and again.status == SubmissionStatus.SUBMITTED


def test_a_stale_review_is_refused(consultant_client, bpo, mirai_bid, submitted):
    """The page was shown; then a colleague typed a quote for Mirai: accepting what the page
    showed would silently replace it, so it is refused and the page shows the quote now."""
    html = consultant_client.get(review_url(bpo, submitted)).content.decode()
    seen = stamps(html)
    response = consultant_client.post(
        url("bid_quote", bpo, mirai_bid.pk), {"pricing_model": "volume", "monthly_fee": "1000"}
    )
    assert response.status_code == 302
    response = consultant_client.post(review_url(bpo, submitted), {"action": "accept", **seen})
    assert response.status_code == 200
    body = response.content.decode()
    assert "changed since the page was shown" in body and "¥1,000" in body
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED
    assert Bid.objects.get(pk=mirai_bid.pk).monthly_fee == Decimal(1000)
    # Decided again on what is shown now: accepted.
    again = consultant_client.post(review_url(bpo, submitted), {"action": "accept", **stamps(body)})
    assert again.status_code == 302
    assert Bid.objects.get(pk=mirai_bid.pk).monthly_fee == Decimal(480000)


def test_an_accepted_submission_is_not_accepted_twice(consultant_client, bpo, submitted):
    assert (
        consultant_client.post(review_url(bpo, submitted), {"action": "accept"}).status_code == 302
    )
    response = consultant_client.post(review_url(bpo, submitted), {"action": "accept"})
    assert response.status_code == 200 and "not waiting for review" in response.content.decode()
    assert "Accept into the package" not in response.content.decode()
    accepted = Event.objects.filter(subject_type=SubjectType.SUBMISSION, action=Action.ACCEPTED)
    assert accepted.count() == 1


def test_a_quote_that_breaks_the_quote_rules_cannot_be_accepted(
    consultant, consultant_client, bpo, mirai_bid
):
    link, _token = links.issue(mirai_bid, consultant)
    quote = {"pricing_model": "volume", "unit_price": "150", "quote_note": ""}
    submission = portal.submit(link, answers(quote=quote))
    html = consultant_client.get(review_url(bpo, submission)).content.decode()
    assert "data-quote-problems" in html and "annual volume" in html
    response = consultant_client.post(
        review_url(bpo, submission), {"action": "accept", **stamps(html)}
    )
    assert response.status_code == 200 and "cannot be accepted" in response.content.decode()
    assert Bid.objects.get(pk=mirai_bid.pk).unit_price is None


def test_a_draft_stays_the_vendors_until_submitted(consultant, consultant_client, bpo, mirai_bid):
    link, _token = links.issue(mirai_bid, consultant)
    draft = portal.save_draft(link, answers(contact={"name": "下書き中", "email": "", "phone": ""}))
    assert 'data-submission-state="draft"' in link_row(page(consultant_client, bpo), mirai_bid)
    html = consultant_client.get(review_url(bpo, draft)).content.decode()
    assert "data-draft" in html and "¥480,000" not in html
    response = consultant_client.post(review_url(bpo, draft), {"action": "accept"})
    assert "not waiting for review" in response.content.decode()


def test_a_panel_member_scoring_blind_sees_no_submitted_price(
    consultant, manager, consultant_client, bpo, mirai_bid, submitted
):
    bpo.panel.set([consultant, manager])
    html = consultant_client.get(review_url(bpo, submitted)).content.decode()
    assert "data-prices-hidden" in html and "¥480,000" not in html
    response = consultant_client.post(
        review_url(bpo, submitted), {"action": "accept", **stamps(html)}
    )
    assert response.status_code == 200 and "evaluation panel" in response.content.decode()
    assert Bid.objects.get(pk=mirai_bid.pk).monthly_fee is None


def test_what_the_vendor_typed_is_escaped_on_the_review(
    consultant, consultant_client, bpo, mirai_bid
):
    link, _token = links.issue(mirai_bid, consultant)
    quote = {**answers().quote, "quote_note": PAYLOAD}
    security = {item: {"status": "partly", "note": PAYLOAD} for item in SECURITY_ITEMS}
    submission = portal.submit(
        link,
        answers(
            quote=quote,
            security=security,
            contact={"name": PAYLOAD, "email": PAYLOAD, "phone": PAYLOAD},
            certifications=[{"kind": "isms", "number": PAYLOAD, "expires_on": NEXT_YEAR}],
        ),
    )
    html = consultant_client.get(review_url(bpo, submission)).content.decode()
    assert "<b id=xss" not in html
    assert html.count("&lt;b id=xss&gt;") >= 5


# --- the invitation by mail ----------------------------------------------------------------------


def test_without_a_mail_server_the_link_is_only_copied(consultant_client, bpo, mirai_bid, settings):
    settings.EMAIL_HOST = ""
    mirai_bid.vendor.contacts = "営業部 佐藤 sato@mirai.example.co.jp"
    mirai_bid.vendor.save()
    html = link_row(page(consultant_client, bpo), mirai_bid)
    assert "send by e-mail" not in html and "sato@mirai" not in html
    response = issue(
        consultant_client, bpo, mirai_bid, action="mail", email="sato@mirai.example.co.jp"
    )
    assert response.status_code == 200 and token_of(response)
    assert mail.outbox == []


def test_with_a_mail_server_the_link_is_mailed_to_the_contact(
    consultant, consultant_client, bpo, mirai_bid, settings
):
    settings.EMAIL_HOST = "smtp.example.co.jp"
    consultant.first_name, consultant.last_name, consultant.email = "Kenji", "Sato", "kenji@a.jp"
    consultant.save()
    mirai_bid.vendor.contacts = "営業部 佐藤\nsato@mirai.example.co.jp, 03-1234-5678"
    mirai_bid.vendor.save()
    row = link_row(page(consultant_client, bpo), mirai_bid)
    assert 'value="sato@mirai.example.co.jp"' in row and "send by e-mail" in row

    response = issue(
        consultant_client, bpo, mirai_bid, action="mail", email="sato@mirai.example.co.jp"
    )
    token = token_of(response)
    assert "data-mailed" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["sato@mirai.example.co.jp"]
    assert f"http://testserver/v/{token}/" in message.body
    assert bpo.name in message.subject and bpo.name in message.body
    # Kenji named as a Japanese mail names him (family name first), with his address.
    assert "Sato Kenji" in message.body and "kenji@a.jp" in message.body
    expires = timezone.localtime(links.find(token).expires_at).strftime("%Y-%m-%d %H:%M")
    assert expires in message.body
    assert "<" not in message.body.replace("<http", "")  # plain text, nothing escaped

    # "Issue and copy" with an address mails nothing.
    mail.outbox.clear()
    issue(consultant_client, bpo, mirai_bid, seen=str(links.find(token).pk), email="x@y.jp")
    assert mail.outbox == []


def test_a_mailed_link_needs_an_address(consultant_client, bpo, mirai_bid, settings):
    settings.EMAIL_HOST = "smtp.example.co.jp"
    response = issue(consultant_client, bpo, mirai_bid, action="mail", email="")
    assert response.status_code == 302 and not mirai_bid.links.exists()
    assert mail.outbox == []


def test_a_mail_that_cannot_leave_leaves_the_link_to_copy(
    consultant_client, bpo, mirai_bid, settings, monkeypatch
):
    settings.EMAIL_HOST = "smtp.example.co.jp"

    def refused(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("vendors.web.link_views.send_mail", refused)
    response = issue(consultant_client, bpo, mirai_bid, action="mail", email="sato@mirai.jp")
    assert "data-mail-failed" in response.content.decode()
    assert links.find(token_of(response)) is not None
