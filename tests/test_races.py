"""Two requests at the same instant (issue 13): the first save of a record, an import confirmed
twice, two packages merged into each other. Each test sends two real requests, each from its own
thread on its own database connection, held so that both have read what they read before either
writes; then exactly one of them wins, the other is told so with what they typed kept, and
nothing is lost or duplicated.

On PostgreSQL the hold is a lock on the table the winner writes (reads pass, writes wait) until
both requests wait on a lock. SQLite lets one writer at a time, and the views' transactions take
that lock when they begin (settings.py): a race shows there only where a view reads before its
transaction; those tests run on both databases, the others on PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from assessments.models import InventoryImport, Package, PendingUpload
from assessments.models.steps import Goals, Kpi, ReadinessEntry, RfpDraft, readiness_version_of
from outsourcing_advisor.accounts.models import Membership, Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.members import services as members
from tests.assessments.files import FIVE_TASKS
from tests.factories import make_member
from tests.helpers import client_for, goals_form, readiness_form
from vendors.models import Evaluation, VendorLink
from vendors.services import links

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs these views' transactions one after the other: no race to show",
)


# --- two requests at the same instant --------------------------------------------------------


@pytest.fixture
def own_connections(published_defaults, tmp_path: Path) -> Iterator[None]:
    """A database each request thread reaches on its own connection and that waits for locks
    as the web workers' does. The tests' in-memory SQLite database (one shared cache) answers
    a second writer “table is locked” at once instead of letting it wait: for the test it is
    copied to a file, opened as settings.py opens one (WAL, a busy timeout, transactions that
    take the write lock when they begin)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    copy = sqlite3.connect(tmp_path / "races.sqlite3")
    _copy_within(in_memory, copy, seconds=15)
    copy.close()
    # The threads' connections read the same settings: they open the file too.
    connection.settings_dict["NAME"] = str(tmp_path / "races.sqlite3")
    connection.connection = None  # the next query opens the file
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory  # kept open: the in-memory database lives on


def _copy_within(source: sqlite3.Connection, target: sqlite3.Connection, seconds: float) -> None:
    """sqlite3's backup retries for ever while another connection of the shared in-memory
    database holds a lock (seen once in CI, after the browser tests' live server): give up after
    `seconds` and skip, naming the threads alive. The races run on PostgreSQL in any case."""
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if time.monotonic() > deadline:
            raise TimeoutError

    try:
        source.backup(target, pages=64, progress=progress, sleep=0.05)
    except TimeoutError:
        alive = ", ".join(thread.name for thread in threading.enumerate())
        pytest.skip(f"the in-memory test database stayed locked (threads: {alive})")


def _writes(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE"))


def _waiting_on_locks() -> int:
    """How many connections wait for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        # Statistics are a snapshot per transaction, and this runs in one: take a new one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def at_the_same_instant(
    gate: type[models.Model], *requests: Callable[[], HttpResponse]
) -> list[HttpResponse | BaseException]:
    """Send the requests from threads of their own, each on its own connection, held until
    every one of them has read what it reads and waits to write: on PostgreSQL `gate`'s table
    is locked against writes; on SQLite a write transaction is open. Returns each response, or
    the exception a request raised (a 500)."""
    results: list[HttpResponse | BaseException | None] = [None] * len(requests)
    writing = [threading.Event() for _request in requests]
    done = [threading.Event() for _request in requests]

    def send(index: int) -> None:
        def noticed(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
            if _writes(sql):
                writing[index].set()
            return execute(sql, *args)

        try:
            with connection.execute_wrapper(noticed):
                results[index] = requests[index]()
        except BaseException as error:  # the test client re-raises a view's exception
            results[index] = error
        finally:
            connection.close()  # this thread's own connection
            done[index].set()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    deadline = time.monotonic() + 20
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(gate._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        for thread in threads:
            thread.start()
        while time.monotonic() < deadline:
            finished = sum(event.is_set() for event in done)
            if connection.vendor == "postgresql":
                held = _waiting_on_locks()
            else:  # SQLite: the first write of each waits for this transaction
                held = sum(
                    w.is_set() and not d.is_set() for w, d in zip(writing, done, strict=True)
                )
            if held + finished >= len(requests):
                break
            time.sleep(0.02)
        else:
            pytest.fail("the requests were not held together")
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results  # type: ignore[return-value]


def _response(result: HttpResponse | BaseException) -> HttpResponse:
    if isinstance(result, BaseException):
        raise AssertionError(f"the request failed: {result!r}") from result
    return result


def told(response: HttpResponse) -> list[str]:
    """The messages a redirect carries (shown on the next page)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def one_won(
    results: list[HttpResponse | BaseException], won: Callable[[HttpResponse], bool]
) -> tuple[int, HttpResponse, HttpResponse]:
    """(index of the winner, its response, the other's): exactly one request won."""
    responses = [_response(result) for result in results]
    winners = [i for i, response in enumerate(responses) if won(response)]
    assert len(winners) == 1, [(r.status_code, told(r)) for r in responses]
    return winners[0], responses[winners[0]], responses[1 - winners[0]]


def second_tab(user: Any) -> Client:
    return client_for(user)


# --- the first save of the goals -------------------------------------------------------------


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_first_goals_saved_at_the_same_instant_one_wins_the_other_is_refused(
    own_connections, manager_client, consultant_client, assessment
):
    url = reverse("workflow_goals", args=[assessment.pk])
    for client in (manager_client, consultant_client):
        assert client.get(url).context["form"]["seen"].value() == ""  # nothing saved yet
    hanakos = goals_form(seen="")
    kenjis = goals_form(seen="", cost_rank="2", depersonalisation_rank="1", cost_note="Kenji")
    results = at_the_same_instant(
        Goals,
        lambda: manager_client.post(url, hanakos),
        lambda: consultant_client.post(url, kenjis),
    )
    winner, _won, lost = one_won(results, lambda response: response.status_code == 302)
    assert lost.status_code == 200
    assert "saved the goals while you were editing them" in lost.content.decode()
    mine = (hanakos, kenjis)[1 - winner]
    form = lost.context["form"]
    assert form["cost_rank"].value() == mine["cost_rank"]  # what they typed, kept
    assert form["cost_note"].value() == mine["cost_note"]
    assert form["seen"].value() == Goals.objects.get().updated_at.isoformat()
    assert Goals.objects.get().cost_note == (hanakos, kenjis)[winner]["cost_note"]


# --- the first save of the readiness grid -----------------------------------------------------


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_first_readiness_saved_at_the_same_instant_one_wins_the_other_is_refused(
    own_connections, manager_client, consultant_client, assessment
):
    url = reverse("workflow_readiness", args=[assessment.pk])
    version = readiness_version_of(assessment)
    first = version.items.order_by("order", "code").first()
    hanakos = readiness_form(version, **{first.code: ("Hanako", "in_progress", "")}) | {"seen": ""}
    kenjis = readiness_form(version, **{first.code: ("Kenji", "done", "Signed")}) | {"seen": ""}
    results = at_the_same_instant(
        ReadinessEntry,
        lambda: manager_client.post(url, hanakos),
        lambda: consultant_client.post(url, kenjis),
    )
    winner, _won, lost = one_won(results, lambda response: response.status_code == 302)
    assert lost.status_code == 200
    assert "Someone changed these items while you were editing" in lost.content.decode()
    mine = (hanakos, kenjis)[1 - winner]
    assert lost.context["form"][f"owner_{first.pk}"].value() == mine[f"owner_{first.pk}"]
    entry = ReadinessEntry.objects.get(assessment=assessment, item=first)
    assert entry.owner == (hanakos, kenjis)[winner][f"owner_{first.pk}"]


# --- an import confirmed twice ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_import_confirmed_twice_at_the_same_instant_is_imported_once(
    own_connections, manager, manager_client, assessment
):
    """Two tabs (or a double click) confirm the preview of one upload with “replace”: the
    inventory is the file's five tasks once, one import is recorded (and can be undone), and
    the second confirmation is told the upload was imported already."""
    file = SimpleUploadedFile("inventory.csv", FIVE_TASKS)
    response = manager_client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = response["Location"]
    assert manager_client.get(preview).status_code == 200
    other_tab = second_tab(manager)
    confirmed = {"replace": "1", "confirm": "on"}
    results = at_the_same_instant(
        assessment.tasks.model,
        lambda: manager_client.post(preview, confirmed),
        lambda: other_tab.post(preview, confirmed),
    )
    _winner, won, lost = one_won(
        results, lambda response: any(m.startswith("Imported ") for m in told(response))
    )
    assert won["Location"] == reverse("assessment_detail", args=[assessment.pk])
    assert lost.status_code == 302
    assert lost["Location"] == reverse("import_upload", args=[assessment.pk])
    assert told(lost) == [
        "This upload has already been imported (or was dropped): nothing was imported again. "
        "The latest imports are listed below."
    ]
    assert assessment.tasks.count() == 5
    assert InventoryImport.objects.count() == 1
    assert InventoryImport.objects.get().can_undo
    imported = Event.objects.filter(subject_type=SubjectType.INVENTORY, action=Action.IMPORTED)
    assert imported.count() == 1
    assert not PendingUpload.objects.exists()


# --- the first score of a vendor, from two tabs ------------------------------------------------


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_first_scores_saved_from_two_tabs_at_once_one_wins_the_other_is_refused(
    own_connections,
    manager,
    manager_client,
    invited,
):
    bid = invited[0]
    url = reverse("bid_score", args=[bid.package.assessment_id, bid.package_id, bid.pk])
    other_tab = second_tab(manager)
    assert manager_client.get(url).context["seen"] == ""  # no scores yet
    firsts = {"seen": "", "score_security": "4", "action": "draft"}
    seconds = {"seen": "", "score_security": "2", "action": "draft"}
    results = at_the_same_instant(
        Evaluation,
        lambda: manager_client.post(url, firsts),
        lambda: other_tab.post(url, seconds),
    )
    winner, _won, lost = one_won(results, lambda response: response.status_code == 302)
    assert lost.status_code == 200
    errors = lost.context["form"].non_field_errors()
    assert len(errors) == 1 and "these scores" in errors[0] and "Nothing was saved" in errors[0]
    mine = (firsts, seconds)[1 - winner]
    assert lost.context["form"]["score_security"].value() == mine["score_security"]
    stored = Evaluation.objects.get(bid=bid, evaluator=manager)
    assert stored.scores == {"security": int((firsts, seconds)[winner]["score_security"])}
    assert lost.context["seen"] == stored.updated_at.isoformat()


# --- two packages merged into each other --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_packages_merged_into_each_other_at_once_one_merge_is_made(
    own_connections,
    manager_client,
    consultant_client,
    checked,
):
    checked.create_packages()
    bpo, ito = checked.packages.get(model="bpo"), checked.packages.get(model="ito")

    def merge(client: Client, package: Package, other: Package) -> Callable[[], HttpResponse]:
        url = reverse("package_merge", args=[checked.pk, package.pk])
        return lambda: client.post(url, {"other": other.pk})

    results = at_the_same_instant(
        checked.tasks.model, merge(consultant_client, bpo, ito), merge(manager_client, ito, bpo)
    )
    winner, won, lost = one_won(
        results, lambda response: any("merged into this package" in m for m in told(response))
    )
    kept = (bpo, ito)[winner]
    assert won["Location"].startswith(reverse("packages", args=[checked.pk]))
    assert lost.status_code == 302
    assert told(lost) == [
        "This package no longer exists: it was merged into another one or deleted meanwhile. "
        "Nothing was changed."
    ]
    assert list(checked.packages.all()) == [kept]
    assert kept.tasks.count() == 3
    merged = Event.objects.filter(subject_type=SubjectType.PACKAGE, action=Action.MERGED)
    assert merged.count() == 1


# --- the first RFP draft of a package ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_first_rfp_draft_generated_twice_at_once_is_generated_once(
    own_connections,
    manager_client,
    consultant_client,
    bpo,
):
    url = reverse("package_rfp", args=[bpo.assessment_id, bpo.pk])
    english = {"action": "generate", "language": "en", "seen": ""}
    japanese = {"action": "generate", "language": "ja", "seen": ""}
    results = at_the_same_instant(
        RfpDraft,
        lambda: consultant_client.post(url, english),
        lambda: manager_client.post(url, japanese),
    )
    winner, _won, lost = one_won(
        results, lambda response: "RFP draft generated from the inventory." in told(response)
    )
    assert lost.status_code == 302
    (message,) = told(lost)
    assert "generated or saved this package's RFP draft meanwhile" in message
    assert "nothing was generated" in message
    assert RfpDraft.objects.get().language == ("en", "ja")[winner]


# --- a KPI added twice under one name -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_kpis_added_at_once_under_one_name_one_is_added_the_other_refused(
    own_connections, manager_client, consultant_client, assessment
):
    url = reverse("workflow_operation", args=[assessment.pk])
    hanakos = {"kpi-name": "Error rate", "kpi-target": "2", "kpi-direction": "lower"}
    kenjis = {"kpi-name": "Error rate", "kpi-target": "1.5", "kpi-direction": "lower"}
    results = at_the_same_instant(
        Kpi,
        lambda: manager_client.post(url, hanakos),
        lambda: consultant_client.post(url, kenjis),
    )
    winner, _won, lost = one_won(results, lambda response: response.status_code == 302)
    assert lost.status_code == 200
    assert "There is already a KPI named “Error rate”." in lost.content.decode()
    mine = (hanakos, kenjis)[1 - winner]
    assert lost.context["kpi_form"]["target"].value() == mine["kpi-target"]
    kpi = Kpi.objects.get()
    assert kpi.target == Decimal((hanakos, kenjis)[winner]["kpi-target"])


# --- an invitation used twice, two managers stepping down together (issue 18) ----------------


@pytest.mark.django_db(transaction=True)
def test_one_invitation_accepted_twice_at_once_makes_one_member(
    own_connections, company_a, company_b, manager, outsider_client
):
    """Two people open the same link and join at the same instant: the invitation's row is
    locked, so one joins and the other gets the plain 404 of a used invitation."""
    token = members.invite(company_a, Role.CONSULTANT, manager)[1]
    url = reverse("join", args=[token])
    midori = client_for(make_member("midori", company_b, Role.VIEWER))
    results = at_the_same_instant(
        Membership,
        lambda: outsider_client.post(url, {"action": "accept"}),
        lambda: midori.post(url, {"action": "accept"}),
    )
    _winner, _won, lost = one_won(results, lambda response: response.status_code == 302)
    assert lost.status_code == 404
    joined = Membership.objects.filter(organisation=company_a, role=Role.CONSULTANT)
    assert joined.count() == 1
    accepted = Event.objects.filter(subject_type=SubjectType.INVITATION, action=Action.ACCEPTED)
    assert accepted.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_demoting_each_other_at_once_leave_one_manager(
    own_connections, company_a, manager, manager_client
):
    """Hanako makes Yuki a viewer while Yuki makes Hanako one: the organisation's row is locked
    before the managers are counted, so the second is refused and one manager remains."""
    yuki = make_member("yuki", company_a, Role.MANAGER)
    hanakos = Membership.objects.get(user=manager, organisation=company_a)
    yukis = Membership.objects.get(user=yuki, organisation=company_a)

    def demote(client: Client, membership: Membership) -> Callable[[], HttpResponse]:
        url = reverse("member_role", args=[company_a.pk, membership.pk])
        return lambda: client.post(url, {"role": "viewer"})

    results = at_the_same_instant(
        Membership, demote(manager_client, yukis), demote(client_for(yuki), hanakos)
    )
    _winner, _won, lost = one_won(
        results, lambda response: any("is now Viewer." in m for m in told(response))
    )
    assert any("the organisation's only manager" in m for m in told(lost))
    assert company_a.memberships.filter(role=Role.MANAGER).count() == 1
    assert Event.objects.filter(subject_type=SubjectType.MEMBER).count() == 1


# --- a vendor link issued twice at once ------------------------------------------------------


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_vendor_link_issued_by_two_consultants_at_once_leaves_one_working_link(
    own_connections, manager, consultant, invited
):
    """Each issue revokes the bid's working links before making its own: without the bid's row
    locked, both would find none to revoke and the vendor would hold two working links."""
    bid = invited[0]
    results = at_the_same_instant(
        VendorLink, lambda: links.issue(bid, consultant), lambda: links.issue(bid, manager)
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert VendorLink.objects.filter(bid=bid).count() == 2
    assert VendorLink.objects.filter(bid=bid, revoked_at__isnull=True).count() == 1
