"""Moving an assessment to a newer readiness checklist (SPEC 4.3 "Versioning", 4.7) on the versions
page, beside the checklist, the rule table and the vendor criteria: the page previews which items
were added, removed or reworded (matched by code) and which entries would be dropped; Kenji
(consultant) confirms, and each entry follows its item's code to the new version."""

import re
from html import escape

import pytest
from django.urls import reverse

from assessments.domain import changes
from assessments.models import Assessment
from assessments.models.steps import ReadinessEntry, ReadinessValues
from assessments.models.versions import (
    ChecklistVersion,
    ReadinessItem,
    ReadinessVersion,
)
from tests.helpers import confirm_version_move

pytestmark = pytest.mark.django_db

R03_EN = "The vendor has introduced the people who will do the work"
R03_JA = "委託先の担当者の紹介を受けた"


@pytest.fixture(autouse=True)
def only_v1() -> None:
    """These tests move assessments between versions they publish themselves, from v1: the
    version migration 0016 publishes (v2) is left out, so that v1 is the newest when their
    assessments start."""
    ReadinessVersion.objects.filter(number__gt=1).delete()


@pytest.fixture
def v1(only_v1) -> ReadinessVersion:
    return ReadinessVersion.objects.get(number=1)


def publish_v2(v1: ReadinessVersion, user) -> ReadinessVersion:
    """v2: R03 reworded, R07 removed, R21 added."""
    draft = v1.copy_as_draft()
    draft.items.filter(code="R03").update(text_en=R03_EN, text_ja=R03_JA)
    draft.items.filter(code="R07").delete()
    ReadinessItem.objects.create(
        version=draft,
        code="R21",
        order=21,
        area="operation",
        text_ja="解約時の引き継ぎ手順を決めた",
        text_en="The hand-back at the end of the contract is agreed",
    )
    draft.publish(user)
    return draft


def fill(assessment: Assessment, user, **rows: tuple[str, str, str]) -> None:
    """Entries of the assessment's pinned version: code -> (owner, status, note)."""
    version = assessment.readiness_version
    items = {item.code: item.pk for item in version.items.all()}
    values = {items[code]: ReadinessValues(*row) for code, row in rows.items()}
    ReadinessEntry.record(assessment, version, values, user)


def entries_of(assessment: Assessment) -> dict[str, tuple]:
    return {
        e.item.code: (e.item.version.number, e.owner, e.status, e.note, e.updated_by, e.updated_at)
        for e in ReadinessEntry.objects.filter(assessment=assessment).select_related(
            "item__version", "updated_by"
        )
    }


@pytest.fixture
def filled(assessment, manager) -> Assessment:
    fill(
        assessment,
        manager,
        R01=("Hanako", "done", "Agreed at the board"),
        R03=("Kenji", "in_progress", "Meeting on the 12th"),
        R07=("", "done", "Checked with legal"),
        R17=("", "not_applicable", "The vendor does all work itself"),
    )
    return assessment


def url_of(assessment: Assessment) -> str:
    return reverse("assessment_versions", args=[assessment.pk])


def section(page: str) -> str:
    """The readiness part of the preview."""
    return page.split("What changes in the readiness checklist")[1].split("data-confirm-move")[0]


def stamp_of(page: str) -> str:
    return re.search(r'name="seen" value="([^"]*)"', page).group(1)


def test_the_page_states_the_pinned_readiness_version(consultant_client, assessment):
    page = consultant_client.get(url_of(assessment)).content.decode()
    assert "<li>Readiness checklist v1 (published" in page
    assert "These are the newest published versions." in page
    assert 'name="seen"' not in page


def test_the_preview_lists_the_item_changes_and_the_entries_to_drop(
    consultant_client, filled, admin_user, v1
):
    publish_v2(v1, admin_user)
    before = entries_of(filled)
    page = consultant_client.get(url_of(filled)).content.decode()
    assert "Readiness checklist v1 (published" in page
    assert "→ <strong>Readiness checklist v2 (published" in page
    assert 'name="seen"' in page

    found = section(page)
    assert 'data-version-words="readiness" data-count="3"' in found
    old = escape(v1.items.get(code="R03").text_en)
    assert f"<li>R03 is reworded: “{R03_EN}” (was “{old}”).</li>" in found
    assert found.count("is reworded") == 1  # only R03's text changed
    assert "<li>New item R21 “The hand-back at the end of the contract is agreed”.</li>" in found
    assert "<li>Item R07 “" in found and "” is removed.</li>" in found
    assert 'data-dropped-readiness="1"' in found
    assert "R07 is removed: its status “Done” and note will be dropped." in found
    assert "Note: Checked with legal" in found
    assert "R01 is removed" not in found and "R03 is removed" not in found

    filled.refresh_from_db()
    assert filled.readiness_version == v1 and entries_of(filled) == before  # nothing moved yet


def test_the_move_carries_entries_by_code_and_drops_the_removed_items(
    consultant_client, filled, admin_user, manager, v1
):
    v2 = publish_v2(v1, admin_user)
    before = entries_of(filled)
    page = confirm_version_move(consultant_client, filled, follow=True).content.decode()
    assert "<li>Readiness checklist v2 (published" in page
    assert "These are the newest published versions." in page

    filled.refresh_from_db()
    assert filled.readiness_version == v2
    after = entries_of(filled)
    assert set(after) == {"R01", "R03", "R17"}  # R07 is gone with its item
    for code, (number, *kept) in after.items():
        assert number == 2 and kept == list(before[code][1:])  # who and when kept too
    assert after["R01"][1:4] == ("Hanako", "done", "Agreed at the board")
    assert after["R03"][4] == manager
    assert v1.items.count() == 20 and v2.items.count() == 20  # the versions stay as published

    grid = consultant_client.get(reverse("workflow_readiness", args=[filled.pk])).content.decode()
    assert "Checklist v2" in grid and 'id="item-R21"' in grid and 'id="item-R07"' not in grid
    assert "1 / 19 done" in grid and R03_EN in grid


def test_a_manager_cannot_move(manager_client, filled, admin_user, v1):
    publish_v2(v1, admin_user)
    before = entries_of(filled)
    page = manager_client.get(url_of(filled)).content.decode()
    assert "R07 is removed" in page and 'name="seen"' not in page  # previewed, no form
    assert manager_client.post(url_of(filled), {"seen": "anything"}).status_code == 403
    filled.refresh_from_db()
    assert filled.readiness_version == v1 and entries_of(filled) == before


@pytest.mark.parametrize("posted", ["previewed", "missing"])
def test_a_readiness_version_published_meanwhile_needs_a_new_look(
    consultant_client, filled, admin_user, v1, posted
):
    v2 = publish_v2(v1, admin_user)
    shown = stamp_of(consultant_client.get(url_of(filled)).content.decode())
    v3 = v2.copy_as_draft()
    v3.publish(admin_user)
    before = entries_of(filled)
    data = {"seen": shown} if posted == "previewed" else {}  # the page before v3, or none
    response = consultant_client.post(url_of(filled), data, follow=True)
    page = response.content.decode()
    assert "changed since the changes were shown: nothing was moved" in page
    assert "→ <strong>Readiness checklist v3 (published" in page
    filled.refresh_from_db()
    assert filled.readiness_version == v1 and entries_of(filled) == before


def test_an_assessment_that_is_not_moved_keeps_its_v1_entries(
    consultant_client, filled, company_a, manager, admin_user, v1
):
    other = Assessment.objects.start(organisation=company_a, name="Branch offices")
    fill(other, manager, R07=("Sato", "in_progress", ""), R20=("Sato", "done", ""))
    before = entries_of(other)
    v2 = publish_v2(v1, admin_user)
    confirm_version_move(consultant_client, filled)
    filled.refresh_from_db()
    assert filled.readiness_version == v2

    other.refresh_from_db()
    assert other.readiness_version == v1
    assert entries_of(other) == before and {row[0] for row in before.values()} == {1}
    grid = consultant_client.get(reverse("workflow_readiness", args=[other.pk])).content.decode()
    assert "Checklist v1" in grid and 'id="item-R07"' in grid and 'id="item-R21"' not in grid
    page = consultant_client.get(url_of(other)).content.decode()
    assert "R07 is removed: its status “In progress” and owner will be dropped." in page


def test_moving_the_checklist_alone_leaves_the_readiness_entries(filled, v1, admin_user):
    checklist = ChecklistVersion.objects.latest_published().copy_as_draft()
    checklist.publish(admin_user)
    before = entries_of(filled)
    filled.move_to_versions(checklist, filled.rule_version)
    filled.refresh_from_db()
    assert (filled.checklist_version, filled.readiness_version) == (checklist, v1)
    assert entries_of(filled) == before
    assert filled.version_changes(checklist, filled.rule_version).readiness == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ("Sato", "done", "x"),
            "R07 is removed: its status “Done”, owner and note will be dropped.",
        ),
        (("Sato", "done", ""), "R07 is removed: its status “Done” and owner will be dropped."),
        (("", "done", "x"), "R07 is removed: its status “Done” and note will be dropped."),
        (("", "in_progress", ""), "R07 is removed: its status “In progress” will be dropped."),
    ],
)
def test_the_preview_names_what_a_dropped_entry_holds(
    consultant_client, assessment, manager, admin_user, v1, row, message
):
    fill(assessment, manager, R07=row)
    publish_v2(v1, admin_user)
    assert message in consultant_client.get(url_of(assessment)).content.decode()


def test_carry_over_matches_by_code():
    entries = {1: "R01", 2: "R07", 3: "R03"}
    records = {"R01": "new R01", "R03": "new R03", "R21": "new R21"}
    assert changes.carry_over(entries, records) == ({1: "new R01", 3: "new R03"}, [2])
    assert changes.carry_over({}, records) == ({}, [])


def test_a_grid_opened_before_the_move_saves_nothing_over_the_carried_entries(
    manager_client, consultant_client, filled, admin_user, v1
):
    grid_url = reverse("workflow_readiness", args=[filled.pk])
    manager_client.get(grid_url)
    data = {}
    for item in v1.items.all():  # the v1 grid, every item set to done
        data |= {f"owner_{item.pk}": "", f"status_{item.pk}": "done", f"note_{item.pk}": ""}
    publish_v2(v1, admin_user)
    confirm_version_move(consultant_client, filled)
    before = entries_of(filled)
    response = manager_client.post(grid_url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in page
    assert entries_of(filled) == before
