"""The 告示37号 checklist of an outsourcing package (SPEC 4.4), as Kenji (consultant) answers it
and the viewer reads it: the findings table, the page, lost updates, the history."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.domain import independence
from assessments.models import Package
from assessments.reporting import report
from outsourcing_advisor.history.models import Event, SubjectType
from tests.factories import make_package
from tests.helpers import package_url, pdf_text, squeeze

CLEAR = {item.key: item.safe for item in independence.ITEMS}  # all in the vendor's favour


# --- the findings, pure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "against", "unanswered"),
    [
        pytest.param({}, [], list(independence.KEYS), id="nothing-answered"),
        pytest.param(CLEAR, [], [], id="all-in-favour"),
        pytest.param({**CLEAR, "instructs": "no"}, ["instructs"], [], id="client-instructs"),
        pytest.param({**CLEAR, "manages_hours": "no"}, ["manages_hours"], [], id="hours"),
        pytest.param({**CLEAR, "keeps_order": "no"}, ["keeps_order"], [], id="order"),
        pytest.param({**CLEAR, "own_funds": "no"}, ["own_funds"], [], id="funds"),
        pytest.param({**CLEAR, "own_means": "no"}, [], [], id="expertise-stands-in-for-equipment"),
        pytest.param(
            {**CLEAR, "own_responsibility": "no"}, ["own_responsibility"], [], id="responsibility"
        ),
        pytest.param({**CLEAR, "more_than_labour": "no"}, [], [], id="equipment-stands-in"),
        pytest.param(
            {**CLEAR, "own_means": "no", "more_than_labour": "no"},
            ["own_means", "more_than_labour"],
            [],
            id="neither-equipment-nor-expertise",
        ),
        pytest.param(
            {**CLEAR, "own_means": "no", "more_than_labour": ""},
            [],
            ["more_than_labour"],
            id="no-equipment-expertise-open",
        ),
        pytest.param(
            {k: v for k, v in CLEAR.items() if k != "own_means"},
            [],
            [],
            id="one-of-the-two-is-enough",
        ),
        pytest.param({**CLEAR, "off_site": "no"}, ["off_site"], [], id="on-site-is-risky"),
        pytest.param(
            {**{k: v for k, v in CLEAR.items() if k != "off_site"}, "on_site": "yes"},
            ["off_site"],
            [],
            id="legacy-on-site-yes-is-risky",
        ),
        pytest.param(
            {**{k: v for k, v in CLEAR.items() if k != "off_site"}, "on_site": "no"},
            [],
            [],
            id="legacy-on-site-no-is-fine",
        ),
        pytest.param(
            {"instructs": "no", "off_site": "no"},
            ["instructs", "off_site"],
            [
                "manages_hours",
                "keeps_order",
                "own_funds",
                "own_responsibility",
                "own_means",
                "more_than_labour",
            ],
            id="partly-answered",
        ),
        pytest.param(
            {**CLEAR, "instructs": "maybe", "unknown": "no"}, [], ["instructs"], id="bad-values"
        ),
    ],
)
def test_findings_name_what_is_against_independence_then_what_is_open(answers, against, unanswered):
    found = independence.findings(answers)
    assert [f.item.key for f in found if f.kind == independence.AGAINST] == against
    assert [f.item.key for f in found if f.kind == independence.UNANSWERED] == unanswered


@pytest.mark.parametrize(
    ("answers", "on_site", "instructed", "state", "supply"),
    [
        ({}, (), (), "open", False),
        (CLEAR, (), (), "clear", False),
        (CLEAR, ("Reception",), (), "warns", False),
        (CLEAR, (), ("Payroll",), "warns", False),
        ({**CLEAR, "own_means": "no", "more_than_labour": "no"}, (), (), "warns", True),
        ({**CLEAR, "more_than_labour": "no"}, (), (), "clear", False),
        ({**CLEAR, "own_responsibility": "no"}, (), (), "warns", True),
        ({"instructs": "no"}, (), (), "warns", False),
    ],
)
def test_a_review_warns_with_the_deemed_offer_of_employment(
    answers, on_site, instructed, state, supply
):
    review = independence.review(answers, on_site, instructed)
    assert review.clear is (state == "clear")
    assert review.warns is (state == "warns")
    with translation.override("en"):
        words = " ".join(str(w) for w in review.consequences)
    assert ("第40条の6" in words) is (state == "warns")
    assert ("職業安定法第44条" in words) is supply


def test_cleaned_keeps_known_items_answered_yes_or_no():
    given = {"instructs": "yes", "off_site": "", "x": "no", "keeps_order": 1}
    assert independence.cleaned(given) == {"instructs": "yes"}


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ({"on_site": "yes"}, {"off_site": "no"}),
        ({"on_site": "no"}, {"off_site": "yes"}),
        ({"on_site": "yes", "off_site": "yes"}, {"off_site": "yes"}),  # the current key wins
        ({"on_site": ""}, {}),
    ],
)
def test_an_answer_stored_under_the_old_on_site_wording_is_read_flipped(stored, read):
    assert independence.cleaned(stored) == read


def test_every_item_is_safe_when_answered_yes():
    assert {item.safe for item in independence.ITEMS} == {independence.YES}


def test_dispatch_has_no_checklist():
    assert not independence.applies("dispatch")
    assert all(independence.applies(m) for m in ("bpo", "ito", "kpo", "subcontract"))


# --- the page ----------------------------------------------------------------------------------


def page_url(package: Package) -> str:
    return reverse("package_independence", args=[package.assessment_id, package.pk])


def form(answers: dict[str, str], seen: str | None) -> dict[str, str]:
    data = {key: answers.get(key, "") for key in independence.KEYS}
    if seen is not None:
        data["seen"] = seen
    return data


@pytest.mark.django_db
def test_kenji_answers_and_the_package_warns_with_the_consequence(consultant_client, bpo):
    page = consultant_client.get(page_url(bpo)).content.decode()
    assert 'data-independence="unanswered"' in page
    answers = {**CLEAR, "instructs": "no"}
    response = consultant_client.post(page_url(bpo), form(answers, bpo.independence_stamp))
    assert response.status_code == 302
    bpo.refresh_from_db()
    assert bpo.independence == answers
    packages = consultant_client.get(package_url("packages", bpo.assessment)).content.decode()
    card = packages.split(f'id="package-{bpo.pk}"')[1].split("</section>")[0]
    assert 'data-independence="warning"' in card
    assert "労働者派遣法第40条の6" in card
    assert "Your staff direct the vendor&#x27;s workers" in card


@pytest.mark.django_db
def test_answering_every_item_in_favour_clears_the_package(consultant_client, bpo):
    consultant_client.post(page_url(bpo), form(CLEAR, bpo.independence_stamp))
    packages = consultant_client.get(package_url("packages", bpo.assessment)).content.decode()
    card = packages.split(f'id="package-{bpo.pk}"')[1].split("</section>")[0]
    assert 'data-independence="clear"' in card and "第40条の6" not in card


@pytest.mark.django_db
def test_the_viewer_reads_but_cannot_answer(viewer_client, consultant_client, bpo):
    consultant_client.post(page_url(bpo), form({"instructs": "no"}, bpo.independence_stamp))
    page = viewer_client.get(page_url(bpo)).content.decode()
    assert "<span data-answer>No</span>" in page and "Save the checklist" not in page
    assert 'type="radio"' not in page
    response = viewer_client.post(page_url(bpo), form(CLEAR, None))
    assert response.status_code == 403
    bpo.refresh_from_db()
    assert bpo.independence == {"instructs": "no"}


@pytest.mark.django_db
def test_an_outsider_gets_404(outsider_client, bpo):
    assert outsider_client.get(page_url(bpo)).status_code == 404
    assert outsider_client.post(page_url(bpo), form(CLEAR, None)).status_code == 404
    bpo.refresh_from_db()
    assert bpo.independence == {}


@pytest.mark.django_db
def test_a_stale_save_is_refused_naming_what_is_stored(consultant_client, manager_client, bpo):
    read = bpo.independence_stamp  # Kenji opens the page
    manager_client.post(page_url(bpo), form({"instructs": "no"}, read))  # Hanako saves first
    response = consultant_client.post(page_url(bpo), form(CLEAR, read))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this checklist" in page
    assert "vendor instructs its workers: now “No” (yours: “Yes”)" in page
    bpo.refresh_from_db()
    assert bpo.independence == {"instructs": "no"}  # nothing of Kenji's saved
    # His input is shown again, stamped with what is stored: saving again is deliberate.
    again = consultant_client.post(page_url(bpo), form(CLEAR, bpo.independence_stamp))
    assert again.status_code == 302
    bpo.refresh_from_db()
    assert bpo.independence == CLEAR


@pytest.mark.django_db
def test_a_bad_answer_names_the_item_and_saves_nothing(consultant_client, bpo):
    data = form({**CLEAR, "keeps_order": "perhaps"}, bpo.independence_stamp)
    response = consultant_client.post(page_url(bpo), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The vendor keeps its own order and discipline" in page
    assert "Select a valid choice" in page
    bpo.refresh_from_db()
    assert bpo.independence == {}


@pytest.mark.django_db
def test_a_staffing_package_has_no_checklist(consultant_client, checked):
    staffing = make_package(checked, "dispatch", "派遣: 受付")
    page = consultant_client.get(page_url(staffing)).content.decode()
    assert "data-staffing" in page and 'type="radio"' not in page
    consultant_client.post(page_url(staffing), form(CLEAR, staffing.independence_stamp))
    staffing.refresh_from_db()
    assert staffing.independence == {}


# --- the history ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_changed_answer_is_in_the_packages_history(consultant_client, bpo):
    consultant_client.post(page_url(bpo), form({"instructs": "yes"}, bpo.independence_stamp))
    bpo.refresh_from_db()
    consultant_client.post(
        page_url(bpo), form({"instructs": "no", "off_site": "no"}, bpo.independence_stamp)
    )
    events = Event.objects.filter(subject_type=SubjectType.PACKAGE, subject_id=bpo.pk)
    latest = events.order_by("-id").first()
    assert latest.actor.username == "kenji"
    assert latest.changes == [
        {"field": "independence.instructs", "old": "yes", "new": "no"},
        {"field": "independence.off_site", "old": "", "new": "no"},
    ]
    # Saving the same answers again records nothing.
    bpo.refresh_from_db()
    count = events.count()
    consultant_client.post(
        page_url(bpo), form({"instructs": "no", "off_site": "no"}, bpo.independence_stamp)
    )
    assert events.count() == count
    page = consultant_client.get(package_url("packages", bpo.assessment)).content.decode()
    assert "告示37号 checklist: at the vendor&#x27;s premises (not 常駐)" in page


# --- the report ----------------------------------------------------------------------------------


def disguised(content) -> str:
    return next(r for r in content.risks if r.code == "disguised_contracting").evidence


@pytest.mark.django_db
def test_the_report_never_says_no_risk_while_a_checklist_is_open(checked):
    checked.create_packages()  # BPO and ITO, nothing answered; no task needs instructions
    with translation.override("en"):
        content = report.build_report(checked, viewer=None)
        evidence = disguised(content)
        steps = [step.title + " " + step.detail for step in content.next_steps]
    assert "No task of this inventory bears on it" not in evidence
    assert "answered in favour" not in evidence
    assert "Unanswered items of the 告示37号 checklist remain" in evidence
    assert "“BPO: HR, Accounting”: 8 items" in evidence and "“ITO: IT”: 8 items" in evidence
    assert content.top_risks[0].code == "disguised_contracting"
    assert any(s.startswith("Answer the 告示37号 checklist") for s in steps)


@pytest.mark.django_db
def test_the_report_warns_of_an_answer_against_independence_with_its_consequence(
    checked, consultant
):
    checked.create_packages()
    for package in checked.packages.all():
        package.save_independence(CLEAR, consultant)
    bpo = checked.packages.get(model="bpo")
    bpo.save_independence({**CLEAR, "instructs": "no"}, consultant)
    with translation.override("en"):
        content = report.build_report(checked, viewer=None)
        evidence = disguised(content)
    assert "answers against the vendor's independence in BPO: HR, Accounting" in evidence
    assert "労働者派遣法第40条の6" in evidence
    assert "Unanswered items" not in evidence
    entry = next(e for e in content.packages if e.package.pk == bpo.pk)
    assert [item.key for item in entry.review.against] == ["instructs"]


@pytest.mark.django_db
def test_every_checklist_answered_in_favour_is_the_only_all_clear(checked, consultant):
    checked.create_packages()
    for package in checked.packages.all():
        package.save_independence(CLEAR, consultant)
    with translation.override("en"):
        evidence = disguised(report.build_report(checked, viewer=None))
    assert "is answered in favour of the vendor's independence" in evidence
    assert "第40条の6" not in evidence


@pytest.mark.django_db
def test_an_on_site_task_of_an_outsourcing_package_is_named(checked, consultant):
    checked.tasks.filter(task="Payroll").update(on_site="yes")
    checked.create_packages()
    for package in checked.packages.all():
        package.save_independence(CLEAR, consultant)
    with translation.override("en"):
        content = report.build_report(checked, viewer=None)
        evidence = disguised(content)
    assert "done on your premises (常駐): Payroll" in evidence
    assert "労働者派遣法第40条の6" in evidence
    entry = next(e for e in content.packages if e.package.model == "bpo")
    assert entry.review.on_site_tasks == ("Payroll",) and entry.review.warns


@pytest.mark.django_db
def test_without_packages_the_checklist_is_said_to_be_missing(checked):
    with translation.override("en"):
        evidence = disguised(report.build_report(checked, viewer=None))
    assert "none has been made yet" in evidence


@pytest.mark.django_db
def test_the_pdf_shows_the_checklist_and_the_consequence(consultant_client, checked, tmp_path):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    bpo.save_independence({**CLEAR, "instructs": "no"})
    response = consultant_client.get(reverse("report_pdf", args=[checked.pk]), {"lang": "ja"})
    text = squeeze(pdf_text(response.content, tmp_path))
    assert "告示37号" in text and "労働者派遣法第40条の6" in text
    assert squeeze("ITO: IT") in text  # named as not answered yet
