"""“Scope changed since the quote” (SPEC 4.5, issue 16): Kenji (consultant) enters Mirai's quote
and Hanako (manager) scores it for the BPO package's two tasks; once a task leaves the package,
the vendor page marks the quote and her scores, the stepper's selection step says so, and Kenji
confirms them for the tasks as they are now. Quotes and scores given before scopes were stamped
are never flagged."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Package
from assessments.reporting.progress import workflow_facts
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import make_certified_vendor
from tests.helpers import bid_url as url
from tests.helpers import scores, upload
from vendors.models import Bid, Evaluation

pytestmark = pytest.mark.django_db

QUOTE = {"pricing_model": "volume", "monthly_fee": "20000"}


def page(client, package: Package) -> str:
    response = client.get(url("package_vendors", package))
    assert response.status_code == 200
    return response.content.decode()


def vendor_cell(html: str, bid: Bid) -> str:
    return html.split(f'id="bid-{bid.pk}"')[1].split("</th>")[0]


def confirm_form(html: str, bid: Bid) -> dict[str, str]:
    cell = vendor_cell(html, bid)
    return {"seen": re.search(r'name="seen" value="([^"]+)"', cell.split("bid_scope")[-1])[1]}


def stepper(html: str) -> str:
    return html.split('<ol class="stepper">')[1].split("</ol>")[0]


def move_out(client, package: Package, task_name: str) -> None:
    task = package.tasks.get(task=task_name)
    response = client.post(
        reverse("package_tasks", args=[package.assessment_id, package.pk]),
        {"tasks": [task.pk], "action": "remove"},
    )
    assert response.status_code == 302


@pytest.fixture
def quoted(consultant_client, manager_client, invited, bpo) -> Bid:
    """Mirai's quote by Kenji and Hanako's submitted scores, for payroll and invoices."""
    mirai = invited[0]
    assert consultant_client.post(url("bid_quote", bpo, mirai.pk), QUOTE).status_code == 302
    assert manager_client.post(url("bid_score", bpo, mirai.pk), scores(4)).status_code == 302
    return mirai


def test_a_quote_and_scores_are_stamped_with_the_tasks_they_were_given_for(quoted, bpo):
    scope = Package.scope_of(bpo.pk)
    quoted.refresh_from_db()
    assert quoted.scope_stamp == scope
    assert list(Evaluation.objects.values_list("scope_stamp", flat=True)) == [scope]


def test_a_task_moved_out_marks_the_quote_and_the_scores_until_kenji_confirms(
    consultant_client, consultant, quoted, invited, bpo
):
    html = page(consultant_client, bpo)
    assert "data-scope-changed" not in html
    move_out(consultant_client, bpo, "Invoices")

    html = page(consultant_client, bpo)
    cell = vendor_cell(html, quoted)
    assert "Scope changed since the quote" in cell
    assert "data-stale-quote" in cell and "Scores given before the change: hanako" in cell
    assert "data-scope-changed" not in vendor_cell(html, invited[1])  # no quote, no scores
    steps = stepper(html)
    assert "1 vendor was quoted or scored before its package&#x27;s tasks changed" in steps
    assert (
        'data-step="vendors"' in steps
        and 'data-warnings="1"' in steps.split('data-step="vendors"')[1].split("</li>")[0]
    )

    updated = Bid.objects.get(pk=quoted.pk).updated_at
    response = consultant_client.post(
        url("bid_scope", bpo, quoted.pk), confirm_form(html, quoted), follow=True
    )
    assert "are confirmed for the package&#x27;s tasks as they are now" in response.content.decode()
    html = page(consultant_client, bpo)
    assert "data-scope-changed" not in html and "quoted or scored before" not in stepper(html)
    scope = Package.scope_of(bpo.pk)
    fresh = Bid.objects.get(pk=quoted.pk)
    assert fresh.scope_stamp == scope and fresh.updated_at == updated  # the quote's own stamp
    assert list(Evaluation.objects.values_list("scope_stamp", flat=True)) == [scope]
    [event] = Event.objects.filter(subject_type=SubjectType.QUOTE, action=Action.CONFIRMED)
    assert event.actor == consultant and event.subject_id == quoted.pk
    assert event.details == {"tasks": ["Payroll"], "count": 1}
    # A second click (another tab) records nothing.
    consultant_client.post(url("bid_scope", bpo, quoted.pk), {"seen": scope})
    assert (
        Event.objects.filter(subject_type=SubjectType.QUOTE, action=Action.CONFIRMED).count() == 1
    )


def test_a_new_quote_or_new_scores_are_given_for_the_new_scope(
    consultant_client, manager_client, quoted, bpo
):
    move_out(consultant_client, bpo, "Invoices")
    consultant_client.post(url("bid_quote", bpo, quoted.pk), {**QUOTE, "monthly_fee": "18000"})
    cell = vendor_cell(page(consultant_client, bpo), quoted)
    assert "data-stale-quote" not in cell and "Scores given before the change: hanako" in cell
    manager_client.post(url("bid_score", bpo, quoted.pk), scores(3))
    assert "data-scope-changed" not in page(consultant_client, bpo)


def test_a_confirmation_over_tasks_that_changed_again_is_refused(
    consultant_client, quoted, checked, bpo
):
    move_out(consultant_client, bpo, "Invoices")
    html = page(consultant_client, bpo)
    invoices = checked.tasks.get(task="Invoices")
    checked.tasks.filter(pk=invoices.pk).update(package=None)
    helpdesk = checked.tasks.get(task="Helpdesk")
    checked.tasks.filter(pk=helpdesk.pk).update(package=bpo)  # meanwhile, another task joins
    response = consultant_client.post(
        url("bid_scope", bpo, quoted.pk), confirm_form(html, quoted), follow=True
    )
    assert "changed again since the page was shown" in response.content.decode()
    assert "data-stale-quote" in vendor_cell(response.content.decode(), quoted)
    assert not Event.objects.filter(action=Action.CONFIRMED).exists()


def test_a_viewer_sees_the_mark_in_the_ranking_without_the_button(
    consultant_client, viewer_client, quoted, bpo
):
    move_out(consultant_client, bpo, "Invoices")
    html = page(viewer_client, bpo)
    ranking = html.split('data-table="ranking"')[1].split("</table>")[0]
    row = ranking.split('data-vendor="Mirai Outsourcing"')[1].split("</tr>")[0]
    assert "Scope changed since the quote" in row
    assert "bid_scope" not in html and url("bid_scope", bpo, quoted.pk) not in html
    assert viewer_client.post(url("bid_scope", bpo, quoted.pk)).status_code == 403


def test_only_a_consultant_confirms(
    manager_client, outsider_client, consultant_client, quoted, bpo
):
    move_out(consultant_client, bpo, "Invoices")
    assert url("bid_scope", bpo, quoted.pk) not in page(manager_client, bpo)
    assert manager_client.post(url("bid_scope", bpo, quoted.pk)).status_code == 403
    assert outsider_client.post(url("bid_scope", bpo, quoted.pk)).status_code == 404
    assert manager_client.get(url("bid_scope", bpo, quoted.pk)).status_code == 405
    assert Bid.objects.get(pk=quoted.pk).scope_stamp != Package.scope_of(bpo.pk)


def test_a_bid_of_another_package_cannot_be_confirmed(consultant_client, quoted, checked, bpo):
    move_out(consultant_client, bpo, "Invoices")
    ito = checked.packages.get(model="ito")
    response = consultant_client.post(url("bid_scope", ito, quoted.pk))
    assert response.status_code == 404
    assert Bid.objects.get(pk=quoted.pk).scope_stamp != Package.scope_of(bpo.pk)


def test_a_quote_given_before_scopes_were_stamped_is_never_flagged(
    consultant_client, manager, invited, bpo
):
    mirai = invited[0]
    Bid.objects.filter(pk=mirai.pk).update(pricing_model="volume", monthly_fee=20000)
    Evaluation.objects.create(bid=mirai, evaluator=manager, submitted_at="2026-01-05T00:00Z")
    move_out(consultant_client, bpo, "Invoices")
    html = page(consultant_client, bpo)
    assert "data-scope-changed" not in html and "quoted or scored before" not in stepper(html)


def test_an_imported_quote_is_stamped_too(consultant_client, ready):
    upload(consultant_client, ready)
    bpo = ready.packages.get(model="bpo")
    bid = bpo.bids.exclude(monthly_fee=None, unit_price=None).first()
    assert bid.scope_stamp == Package.scope_of(bpo.pk)
    assert set(Evaluation.objects.filter(bid=bid).values_list("scope_stamp", flat=True)) == {
        bid.scope_stamp
    }
    ready.tasks.update(package=bpo)  # the package is given tasks after the quotes came in
    assert "data-stale-quote" in vendor_cell(page(consultant_client, bpo), bid)


def test_the_stepper_reads_the_scopes_in_one_query_whatever_the_vendors(
    consultant_client, manager, checked, bpo, invited
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            facts = workflow_facts(checked)
        assert facts.stale_quotes == len(bpo.bids.all())
        return len(queries)

    def evaluate(bid: Bid) -> None:
        Bid.objects.filter(pk=bid.pk).update(monthly_fee=1000, scope_stamp="given-before")
        Evaluation.objects.create(
            bid=bid, evaluator=manager, submitted_at=timezone.now(), scope_stamp="given-before"
        )

    for bid in invited:
        evaluate(bid)
    few = count()
    for number in range(4):
        evaluate(Bid.invite(bpo, make_certified_vendor(f"Vendor {number}", ["bpo"], "isms"))[0])
    assert count() == few
