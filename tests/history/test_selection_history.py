"""The history of packages, quotes and scores: Kenji (consultant) builds the packages and enters
quotes, Hanako (manager) scores. Each change shows on its own page; the values of someone else's
scores never show in the history (scores are sealed until each evaluator submits)."""

import pytest
from django.urls import reverse

from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.helpers import SAMPLE_BYTES, bid_url, scores, upload
from tests.helpers import package_url as url

pytestmark = pytest.mark.django_db


def lines(event: Event) -> list[tuple[str, str, str]]:
    return [(c["field"], c["old"], c["new"]) for c in event.changes]


def package_section(client, assessment, package) -> str:
    page = client.get(url("packages", assessment)).content.decode()
    return page.split(f'id="package-{package.pk}"')[1].split("</section>")[0]


def test_creating_splitting_moving_merging_and_renaming_packages_is_recorded(
    consultant_client,
    consultant,
    checked,
):
    consultant_client.post(url("packages_create", checked))
    bpo, ito = checked.packages.get(model="bpo"), checked.packages.get(model="ito")
    created = Event.objects.filter(subject_type=SubjectType.PACKAGE, action=Action.CREATED)
    assert {(e.subject_id, tuple(e.details["tasks"])) for e in created} == {
        (bpo.pk, ("Payroll", "Invoices")),
        (ito.pk, ("Helpdesk",)),
    }
    invoices = checked.tasks.get(task="Invoices")
    data = {"tasks": [invoices.pk], "action": "split", "name": "BPO: accounting"}
    consultant_client.post(url("package_tasks", checked, bpo), data)
    accounting = checked.packages.get(name="BPO: accounting")
    data = {"tasks": [invoices.pk], "action": "move", "target": ito.pk}
    consultant_client.post(url("package_tasks", checked, accounting), data)
    consultant_client.post(url("package_merge", checked, bpo), {"other": ito.pk})
    consultant_client.post(url("package_rename", checked, bpo), {"name": "Back office"})
    consultant_client.post(url("package_rename", checked, bpo), {"name": "Back office"})  # same

    mine = list(Event.objects.filter(subject_id=bpo.pk).order_by("id"))
    assert [e.action for e in mine] == [
        Action.CREATED,
        Action.TASKS_MOVED,  # invoices split off
        Action.MERGED,
        Action.CHANGED,  # renamed once: the second save changed nothing
    ]
    assert mine[1].details["to"] == "BPO: accounting"
    assert mine[2].details["merged"] == ito.name
    assert lines(mine[3]) == [("name", "BPO: HR, Accounting", "Back office")]
    assert {e.actor for e in Event.objects.all()} == {consultant}
    section = package_section(consultant_client, checked, bpo)
    assert "data-history" in section and "Name: BPO: HR, Accounting → Back office" in section
    assert f"Merged in: {ito.name}" in section
    moved = Event.objects.get(subject_id=accounting.pk, action=Action.TASKS_MOVED)
    assert (moved.details["from"], moved.details["to"]) == ("BPO: accounting", ito.name)

    data = {"tasks": [invoices.pk], "action": "remove"}
    consultant_client.post(url("package_tasks", checked, bpo), data)
    consultant_client.post(
        url("packages_assign", checked), {"tasks": [invoices.pk], "package": bpo.pk}
    )
    last = Event.objects.filter(subject_id=bpo.pk).first()
    assert (last.action, last.details["from"], last.details["tasks"]) == (
        Action.TASKS_MOVED,
        "",
        ["Invoices"],
    )


def test_a_quote_change_is_recorded_and_shown_on_the_quote_page(
    consultant_client,
    consultant,
    invited,
    bpo,
):
    bid = invited[0]
    quote = {"pricing_model": "volume", "monthly_fee": "20000"}
    consultant_client.post(bid_url("bid_quote", bpo, bid.pk), quote)
    consultant_client.post(bid_url("bid_quote", bpo, bid.pk), {**quote, "monthly_fee": "25000"})
    consultant_client.post(bid_url("bid_quote", bpo, bid.pk), {**quote, "monthly_fee": "25000"})
    events = list(Event.objects.filter(subject_type=SubjectType.QUOTE, subject_id=bid.pk))
    assert [lines(e) for e in events] == [
        [("monthly_fee", "20000", "25000")],
        [("pricing_model", "", "volume"), ("monthly_fee", "", "20000")],
    ]
    assert events[0].actor == consultant
    page = consultant_client.get(bid_url("bid_quote", bpo, bid.pk)).content.decode()
    assert "Monthly fee (yen): 20000 → 25000" in page
    assert "Pricing model: — → Volume-based (業務委託型)" in page


def test_scores_are_recorded_but_only_their_evaluator_sees_the_values(
    manager_client,
    manager,
    consultant_client,
    invited,
    bpo,
):
    bid = invited[0]
    draft = {**scores({"security": 2}, "draft"), "comment_security": "Hanako's secret note"}
    manager_client.post(bid_url("bid_score", bpo, bid.pk), draft)
    manager_client.post(bid_url("bid_score", bpo, bid.pk), {**scores(4), "comment_security": ""})
    manager_client.post(bid_url("bid_score", bpo, bid.pk), {**scores(4), "comment_security": ""})
    events = list(Event.objects.filter(subject_type=SubjectType.SCORE).order_by("id"))
    assert [e.action for e in events] == [Action.CREATED, Action.SUBMITTED]  # then no change
    assert ("security", "", "2") in lines(events[0]) and events[0].details == {"bid": bid.pk}
    assert ("security", "2", "4") in lines(events[1])
    own = manager_client.get(bid_url("bid_score", bpo, bid.pk)).content.decode()
    assert "Security: 2 → 4" in own and "Hanako&#x27;s secret note" in own
    history = reverse("assessment_history", args=[bpo.assessment_id])
    theirs = consultant_client.get(history).content.decode()
    assert "hanako" in theirs and "Scores are shown to their evaluator only." in theirs
    assert "secret note" not in theirs and "2 → 4" not in theirs
    score_page = consultant_client.get(bid_url("bid_score", bpo, bid.pk)).content.decode()
    assert "secret note" not in score_page and "hanako" not in score_page


def test_an_evaluation_file_is_one_event_with_its_name_hash_and_rows(
    consultant_client,
    consultant,
    ready,
):
    response = upload(consultant_client, ready)
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.subject_type, event.action, event.actor) == (
        SubjectType.EVALUATIONS,
        Action.IMPORTED,
        consultant,
    )
    rows = SAMPLE_BYTES.decode().strip().count("\n")
    assert event.details["filename"] == "vendor_evaluations.csv"
    assert len(event.details["sha256"]) == 64 and event.details["rows"] == rows
    page = consultant_client.get(reverse("assessment_history", args=[ready.pk])).content.decode()
    assert f"vendor_evaluations.csv: {rows} rows</div>" in page
    # The checksum is for an auditor's tooltip only (QA 1): never in the text read.
    assert f'title="SHA-256 {event.details["sha256"]}"' in page
    assert page.count(event.details["sha256"]) == 1
