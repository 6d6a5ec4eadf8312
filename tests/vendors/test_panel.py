"""The evaluation panel as its people use it (SPEC 4.6, issue 17): Kenji, the lead consultant,
handles the quotes and puts Hanako (manager) and Yuki (consultant) on the BPO package's panel.
Until both have submitted scores for every vendor the knock-outs leave in, neither sees a price
anywhere — the vendor page, the quote page, her PDF, the history — while Kenji does; then the
prices and the combined ranking appear, their scores are final, and Kenji records consensus
scores with their reasons. The panel page says how the panel scored."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.background.jobs import Job, JobKind
from assessments.models import Package
from outsourcing_advisor.accounts.models import Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import make_certified_vendor, make_member
from tests.helpers import bid_url as url
from tests.helpers import client_for, pdf_text, scores, squeeze
from tests.jobs import work_off
from vendors.models import Bid, Consensus, Evaluation

pytestmark = pytest.mark.django_db

# Mirai quotes 123,000 a month, Sakura 98,000, Kaze 77,000 (Kaze offers KPO only: excluded
# from the BPO package). Annual vendor cost with 15% overhead: 1,697,400, 1,352,400, 1,062,600;
# Mirai's price over 3 years 5,092,200.
PRICES = ["¥123,000", "¥98,000", "¥77,000", "¥1,697,400", "¥1,352,400", "¥1,062,600", "¥5,092,200"]


@pytest.fixture
def yuki(company_a):
    return make_member("yuki", company_a, Role.CONSULTANT)


@pytest.fixture
def yuki_client(yuki):
    return client_for(yuki)


@pytest.fixture
def quoted(invited: tuple[Bid, Bid], bpo: Package) -> tuple[Bid, Bid, Bid]:
    mirai_bid, sakura_bid = invited
    kaze_bid = Bid.invite(bpo, make_certified_vendor("Kaze Research", ["kpo"], "isms"))[0]
    for bid, fee in ((mirai_bid, 123_000), (sakura_bid, 98_000), (kaze_bid, 77_000)):
        Bid.objects.filter(pk=bid.pk).update(pricing_model="subscription", monthly_fee=Decimal(fee))
    return mirai_bid, sakura_bid, kaze_bid


@pytest.fixture
def panel(consultant_client, bpo, manager, yuki, quoted) -> Package:
    """Kenji puts Hanako and Yuki on the panel."""
    response = consultant_client.post(
        url("package_panel_members", bpo), {"members": [manager.pk, yuki.pk]}
    )
    assert response.status_code == 302
    return bpo


def page(client, package: Package, **params) -> str:
    response = client.get(url("package_vendors", package), params)
    assert response.status_code == 200
    return response.content.decode()


def no_price_in(text: str) -> bool:
    return not any(price in text or price.replace("¥", "") in text for price in PRICES)


def submit_all(client, package: Package, bids, value: int) -> None:
    for bid in bids:
        assert client.post(url("bid_score", package, bid.pk), scores(value)).status_code == 302


# --- blind prices ----------------------------------------------------------------------------


def test_a_panel_member_still_scoring_sees_no_price_on_the_vendor_page(
    manager_client, yuki_client, panel
):
    for client in (manager_client, yuki_client):
        html = page(client, panel)
        assert no_price_in(html)
        assert "data-prices-hidden" in html and "Still scoring: hanako, yuki" in html
        assert 'data-table="ranking"' not in html and 'data-figure="combined"' not in html
        assert 'data-table="horizon"' not in html and 'data-table="saving-range"' not in html
        # Nor when the page asks for the cost over the horizon of a quote in place (htmx).
        assert no_price_in(page(client, panel, bid=Bid.objects.first().pk))
        # The terms hold no price: they stay.
        assert 'data-figure="price-weight"' in html or 'data-form="terms"' in html


def test_the_quote_page_is_a_notice_for_the_panel_and_takes_no_quote(yuki_client, panel, quoted):
    mirai_bid = quoted[0]
    response = yuki_client.get(url("bid_quote", panel, mirai_bid.pk))
    html = response.content.decode()
    assert response.status_code == 200 and "data-prices-hidden" in html
    assert no_price_in(html) and 'name="monthly_fee"' not in html
    refused = yuki_client.post(
        url("bid_quote", panel, mirai_bid.pk),
        {"pricing_model": "subscription", "monthly_fee": "1"},
    )
    assert refused.status_code == 403
    assert Bid.objects.get(pk=mirai_bid.pk).monthly_fee == 123_000


def test_the_consultant_outside_the_panel_sees_and_enters_the_prices(
    consultant_client, viewer_client, panel, quoted
):
    html = page(consultant_client, panel)
    assert "¥123,000" in html and "¥1,697,400" in html and "data-prices-hidden" not in html
    quote = consultant_client.get(url("bid_quote", panel, quoted[0].pk)).content.decode()
    assert 'name="monthly_fee"' in quote
    # A viewer, who does not score, sees them too.
    assert "¥1,352,400" in page(viewer_client, panel)


def test_without_a_panel_nothing_is_blind(manager_client, bpo, quoted):
    assert "¥1,697,400" in page(manager_client, bpo)


def test_the_prices_and_the_ranking_appear_when_the_last_member_submits(
    manager_client, yuki_client, panel, quoted
):
    mirai_bid, sakura_bid, _kaze_bid = quoted
    # Hanako scores both vendors left in (Kaze is excluded: no one's to score).
    submit_all(manager_client, panel, [mirai_bid, sakura_bid], 3)
    html = page(manager_client, panel)
    assert no_price_in(html) and "Still scoring: yuki" in html
    assert 'data-table="ranking"' not in html
    submit_all(yuki_client, panel, [mirai_bid], 5)
    assert no_price_in(page(yuki_client, panel))
    submit_all(yuki_client, panel, [sakura_bid], 4)
    for client in (manager_client, yuki_client):
        html = page(client, panel)
        assert "¥1,697,400" in html and "¥5,092,200" in html
        assert 'data-table="ranking"' in html and 'data-figure="combined"' in html
        assert "data-prices-hidden" not in html


def test_her_report_shows_no_price_until_the_panel_has_submitted(
    manager_client, yuki_client, panel, quoted, tmp_path
):
    def report() -> str:
        response = manager_client.get(
            reverse("report_pdf", args=[panel.assessment_id]), {"lang": "en"}
        )
        assert response.status_code == 200
        return squeeze(pdf_text(response.content, tmp_path))

    mirai_bid, sakura_bid, _kaze_bid = quoted
    mine = report()
    assert no_price_in(mine)
    assert "Stillscoring:hanako,yuki" in mine
    assert "shownoncetheevaluationpanelhassubmitteditsscores" in mine
    submit_all(manager_client, panel, [mirai_bid, sakura_bid], 3)
    assert no_price_in(report())  # Yuki has still to submit
    submit_all(yuki_client, panel, [mirai_bid, sakura_bid], 4)
    mine = report()
    assert "¥5,092,200" in mine and "Stillscoring" not in mine


def test_the_history_keeps_the_quotes_from_the_blind_panel(
    consultant_client, manager_client, viewer_client, panel, quoted
):
    mirai_bid = quoted[0]
    form = {"pricing_model": "subscription", "monthly_fee": "150000"}
    assert consultant_client.post(url("bid_quote", panel, mirai_bid.pk), form).status_code == 302
    history_url = reverse("assessment_history", args=[panel.assessment_id])
    hers = manager_client.get(history_url).content.decode()
    assert "150000" not in hers and "150,000" not in hers and "123000" not in hers
    assert "Prices stay hidden from the evaluation panel" in hers
    assert "150000" in viewer_client.get(history_url).content.decode()


# --- who scores --------------------------------------------------------------------------------


def test_with_a_panel_its_members_score_and_their_scores_become_final(
    consultant_client, manager_client, yuki_client, panel, quoted
):
    mirai_bid, sakura_bid, _kaze_bid = quoted
    # Kenji sees the prices: his scores would not be blind.
    score_url = url("bid_score", panel, mirai_bid.pk)
    assert 'data-closed="not-on-panel"' in consultant_client.get(score_url).content.decode()
    assert consultant_client.post(score_url, scores(5)).status_code == 403
    submit_all(manager_client, panel, [mirai_bid, sakura_bid], 3)
    # Still blind: Hanako may still change hers.
    assert manager_client.post(score_url, scores(4)).status_code == 302
    submit_all(yuki_client, panel, [mirai_bid, sakura_bid], 4)
    assert 'data-closed="final"' in manager_client.get(score_url).content.decode()
    assert manager_client.post(score_url, scores(5)).status_code == 403
    assert (
        Evaluation.objects.get(bid=mirai_bid, evaluator__username="hanako").scores["security"] == 4
    )


# --- the panel page ----------------------------------------------------------------------------


def test_the_panel_page_says_how_the_panel_scored(
    manager_client, yuki_client, viewer_client, panel, quoted
):
    mirai_bid, sakura_bid, _kaze_bid = quoted
    panel_url = url("package_panel", panel)
    submit_all(manager_client, panel, [mirai_bid, sakura_bid], 3)
    # Yuki has not submitted: no one's scores, no statistics for her.
    html = yuki_client.get(panel_url).content.decode()
    assert "data-sealed" in html and 'data-statistic="leniency"' not in html
    assert "1 / 2" not in html or "0 / 2" in html  # her progress shows, not her scores
    submit_all(yuki_client, panel, [mirai_bid, sakura_bid], 5)
    html = viewer_client.get(panel_url).content.decode()
    # Hanako 50 on both, Yuki 100: ±50 over 2 vendors; every comparison two points apart.
    assert (
        "hanako scores 50.0 points below the other evaluators on average (over 2 vendors)" in html
    )
    assert "yuki scores 50.0 points above the other evaluators on average (over 2 vendors)" in html
    assert "Agreement 0%: in 0 of 16 comparisons" in html
    assert "With fewer than three evaluators to compare, no one can be far from the rest" in html
    assert "Mirai Outsourcing, Security: 3 (hanako) to 5 (yuki)" in html
    assert "2 / 2" in html


def test_the_panel_page_points_out_the_evaluator_far_from_the_rest(
    consultant_client, manager_client, yuki_client, panel, quoted, company_a, manager, yuki
):
    mirai_bid, sakura_bid, _kaze_bid = quoted
    taro = make_member("taro", company_a, Role.MANAGER)
    consultant_client.post(
        url("package_panel_members", panel), {"members": [manager.pk, yuki.pk, taro.pk]}
    )
    submit_all(manager_client, panel, [mirai_bid, sakura_bid], 3)
    submit_all(client_for(taro), panel, [mirai_bid, sakura_bid], 3)
    submit_all(yuki_client, panel, [mirai_bid, sakura_bid], 5)
    html = consultant_client.get(url("package_panel", panel)).content.decode()
    # yuki +50, the others −25: bar max(15, 2 × 25) = 50.
    assert "yuki is far from the rest: 50.0 points above the others on average" in html
    assert html.count("data-far") == 1


def test_choosing_the_panel_is_the_consultants_and_recorded(
    consultant_client, manager_client, viewer_client, outsider_client, viewer, panel
):
    members_url = url("package_panel_members", panel)
    assert manager_client.post(members_url, {"members": []}).status_code == 403
    assert viewer_client.post(members_url, {"members": []}).status_code == 403
    assert outsider_client.post(members_url, {"members": []}).status_code == 404
    assert outsider_client.get(url("package_panel", panel)).status_code == 404
    # A viewer does not score: not a choice.
    refused = consultant_client.post(members_url, {"members": [viewer.pk]})
    assert refused.status_code == 200 and "is not one of the available choices" in (
        refused.content.decode()
    )
    assert set(panel.panel.values_list("username", flat=True)) == {"hanako", "yuki"}
    assert consultant_client.post(members_url, {"members": []}).status_code == 302
    assert not panel.panel.exists()
    events = Event.objects.filter(subject_type=SubjectType.PANEL, subject_id=panel.pk)
    assert [(e.action, e.changes[0]["old"], e.changes[0]["new"]) for e in events] == [
        (Action.CHANGED, "hanako, yuki", ""),
        (Action.CHANGED, "", "hanako, yuki"),
    ]
    html = viewer_client.get(url("package_panel", panel)).content.decode()
    assert "Members: hanako, yuki → whoever scores" in html


# --- consensus ---------------------------------------------------------------------------------


def test_the_lead_consultant_records_changes_and_removes_a_consensus(
    consultant_client, manager_client, yuki_client, viewer_client, panel, quoted
):
    mirai_bid, sakura_bid, _kaze_bid = quoted
    submit_all(manager_client, panel, [mirai_bid, sakura_bid], 3)
    submit_all(yuki_client, panel, [mirai_bid, sakura_bid], 5)
    consensus_url = url("bid_consensus", panel, mirai_bid.pk) + "?criterion=security"
    form = consultant_client.get(consensus_url).content.decode()
    assert 'data-form="consensus"' in form and "hanako: 3" in form and "yuki: 5" in form
    # The reason is required: nothing saved without it.
    refused = consultant_client.post(
        consensus_url, {"criterion": "security", "score": 1, "reason": "  ", "seen": ""}
    )
    assert refused.status_code == 200 and "Write the reason for the consensus score." in (
        refused.content.decode()
    )
    assert not Consensus.objects.exists()
    saved = consultant_client.post(
        consensus_url,
        {"criterion": "security", "score": 1, "reason": "No ISMS audit on file.", "seen": ""},
    )
    assert saved.status_code == 302
    agreed = Consensus.objects.get(bid=mirai_bid, criterion="security")
    assert (agreed.score, agreed.author.username) == (1, "kenji")
    # Mirai's quality: hanako (80 × 50) / 100 = 40, yuki (80 × 100) / 100 = 80 → 60.0 (was 75.0);
    # the evaluators' own scores stay.
    ranking = page(viewer_client, panel)
    assert 'data-figure="total">60.0<' in ranking
    assert Evaluation.objects.get(bid=mirai_bid, evaluator__username="yuki").scores["security"] == 5
    panel_page = viewer_client.get(url("package_panel", panel)).content.decode()
    assert "No ISMS audit on file." in panel_page and "kenji" in panel_page
    # Changed, then removed: each step in the history.
    seen = agreed.updated_at.isoformat()
    consultant_client.post(
        consensus_url,
        {"criterion": "security", "score": 2, "reason": "One audit since.", "seen": seen},
    )
    assert Consensus.objects.get(pk=agreed.pk).score == 2
    seen = Consensus.objects.get(pk=agreed.pk).updated_at.isoformat()
    consultant_client.post(
        consensus_url, {"criterion": "security", "action": "remove", "seen": seen}
    )
    assert not Consensus.objects.exists()
    assert 'data-figure="total">75.0<' in page(viewer_client, panel)
    events = Event.objects.filter(subject_type=SubjectType.CONSENSUS).order_by("at", "pk")
    assert [e.action for e in events] == [Action.CREATED, Action.CHANGED, Action.DELETED]
    assert {"field": "score", "old": "1", "new": "2"} in events[1].changes
    assert events[0].subject_repr == "Mirai Outsourcing: Security"


def test_a_consensus_over_a_newer_one_is_refused(consultant_client, manager_client, panel, quoted):
    mirai_bid = quoted[0]
    submit_all(manager_client, panel, [mirai_bid], 3)
    consensus_url = url("bid_consensus", panel, mirai_bid.pk) + "?criterion=bcp"
    form = {"criterion": "bcp", "score": 4, "reason": "Agreed in the meeting.", "seen": ""}
    assert consultant_client.post(consensus_url, form).status_code == 302
    again = consultant_client.post(consensus_url, {**form, "score": 2})  # the page before it
    html = again.content.decode()
    assert again.status_code == 200 and "Someone else saved" in html
    assert Consensus.objects.get(bid=mirai_bid, criterion="bcp").score == 4
    # The input stays, stamped with what is stored now: saving again replaces it deliberately.
    seen = re.search(r'name="seen" value="([^"]*)"', html).group(1)
    assert seen and re.search(r'<input[^>]*value="2"[^>]*checked', html)
    assert (
        consultant_client.post(consensus_url, {**form, "score": 2, "seen": seen}).status_code == 302
    )
    assert Consensus.objects.get(bid=mirai_bid, criterion="bcp").score == 2


def test_a_consensus_is_agreed_on_scores_one_has_seen(
    yuki_client, consultant_client, viewer_client, outsider_client, panel, quoted
):
    mirai_bid = quoted[0]
    consensus_url = url("bid_consensus", panel, mirai_bid.pk) + "?criterion=security"
    form = {"criterion": "security", "score": 3, "reason": "x", "seen": ""}
    # Yuki, on the panel, has not submitted her own scores of Mirai.
    assert "data-sealed" in yuki_client.get(consensus_url).content.decode()
    assert yuki_client.post(consensus_url, form).status_code == 403
    assert viewer_client.get(consensus_url).status_code == 403
    assert viewer_client.post(consensus_url, form).status_code == 403
    assert outsider_client.get(consensus_url).status_code == 404
    assert outsider_client.post(consensus_url, form).status_code == 404
    unknown = url("bid_consensus", panel, mirai_bid.pk) + "?criterion=price"
    assert consultant_client.get(unknown).status_code == 404
    assert not Consensus.objects.exists()


def test_a_consensus_stays_out_of_the_history_of_a_member_still_scoring(
    consultant_client, manager_client, yuki_client, panel, quoted
):
    mirai_bid = quoted[0]
    submit_all(manager_client, panel, [mirai_bid], 3)
    consensus_url = url("bid_consensus", panel, mirai_bid.pk) + "?criterion=team"
    consultant_client.post(
        consensus_url, {"criterion": "team", "score": 4, "reason": "Backup named.", "seen": ""}
    )
    history_url = reverse("assessment_history", args=[panel.assessment_id])
    assert "Backup named." in manager_client.get(history_url).content.decode()
    hers = yuki_client.get(history_url).content.decode()
    assert "Backup named." not in hers and "Shown once you have submitted" in hers


def test_a_report_made_for_the_lead_consultant_goes_to_no_blind_member(
    consultant_client, consultant, manager_client, panel, tmp_path, settings
):
    settings.BACKGROUND_REPORT_TASKS = 1
    response = consultant_client.post(
        reverse("report_start", args=[panel.assessment_id]), {"lang": "en"}
    )
    assert response.status_code == 302
    work_off()
    job = Job.objects.get(kind=JobKind.REPORT, created_by=consultant)
    download = reverse("job_download", args=[panel.assessment_id, job.pk])
    assert "¥5,092,200" in squeeze(pdf_text(consultant_client.get(download).content, tmp_path))
    refused = manager_client.get(download)
    assert refused.status_code == 302 and not refused.content.startswith(b"%PDF")
