"""An administrator edits the weights of the eight vendor criteria (SPEC 4.6) in the
administrators' area (issue 18): a draft copied from the published version, weights that must add
up to 100 before it can be published; published versions read-only, in the admin too; assessments
keep the weights they were pinned to until a consultant moves them."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.domain.choices import VendorCriterion
from assessments.models import Assessment
from assessments.models.drafts import draft_stamp, publish_stamp
from assessments.models.versions import EvaluationVersion, EvaluationWeight
from tests.helpers import confirm_version_move

pytestmark = pytest.mark.django_db

V1 = [15, 10, 20, 15, 10, 10, 10, 10]  # migration 0006, in the criteria's order
V2 = [25, 10, 20, 15, 10, 10, 5, 5]
LABELS = [
    "Track record",
    "Team and backup",
    "Security",
    "SLA and quality management",
    "Improvement proposals",
    "Business continuity (BCP)",
    "Cost breakdown",
    "Contract terms (liability, exit, transfer)",
]
CHANGELIST = reverse("admin:assessments_evaluationversion_changelist")


@pytest.fixture
def v1() -> EvaluationVersion:
    return EvaluationVersion.objects.get(number=1)


@pytest.fixture
def draft(v1: EvaluationVersion) -> EvaluationVersion:
    return v1.copy_as_draft()


def change_url(version: EvaluationVersion) -> str:
    return reverse("admin:assessments_evaluationversion_change", args=[version.pk])


def weights_of(version: EvaluationVersion) -> list[tuple[str, Decimal]]:
    return list(version.weights.values_list("criterion", "weight"))


def area_url(version: EvaluationVersion) -> str:
    return f"/administration/vendor-criteria/{version.pk}/"


def edit(client: Client, version: EvaluationVersion, weights: list[object], note: str = "edited"):
    """Post the draft's page with these weights, in the criteria's order, as the browser sends
    it."""
    data: dict[str, object] = {"draft-note": note, "draft-seen": draft_stamp(version)}
    data |= {
        f"weights-{criterion}": weight
        for criterion, weight in zip(VendorCriterion.values, weights, strict=True)
    }
    return client.post(area_url(version), data)


def publish(client: Client, version: EvaluationVersion) -> str:
    """Publish from the area's publish page (or the page saying why not)."""
    url = f"{area_url(version)}publish/"
    data = {"note": version.note or "weights", "seen": publish_stamp(version)}
    return client.post(url, data, follow=True).content.decode()


def test_admin_lists_and_shows_v1_with_its_eight_weights(admin_en, v1):
    page = admin_en.get(CHANGELIST).content.decode()
    assert "v1" in page and "SPEC 4.6 defaults" in page
    assert '<td class="field-total">100</td>' in page
    page = admin_en.get(change_url(v1)).content.decode()
    positions = [page.index(label) for label in LABELS]
    assert positions == sorted(positions)  # all eight, in the criteria's order
    assert 'name="weights-0-weight"' not in page and 'name="_save"' not in page
    assert [weight for _, weight in weights_of(v1)] == V1


def test_copy_as_a_new_draft_copies_all_eight_weights(admin_en, v1):
    response = admin_en.post(
        "/administration/vendor-criteria/start/", {"source": v1.pk}, follow=True
    )
    draft = EvaluationVersion.objects.get(status="draft")
    assert response.redirect_chain[-1][0] == area_url(draft)
    page = response.content.decode()
    assert "A draft was started from v1" in page
    assert all(f'name="weights-{criterion}"' in page for criterion in VendorCriterion.values)
    assert draft.number is None and weights_of(draft) == weights_of(v1)
    assert list(draft.weights.values_list("order", flat=True)) == list(range(8))


def test_a_draft_weighted_to_100_is_published_and_pins_new_assessments_only(
    admin_en, admin_user, assessment, draft, v1
):
    assert edit(admin_en, draft, V2, note="heavier track record").status_code == 302
    assert [weight for _, weight in weights_of(draft)] == V2
    assert "Published v2." in publish(admin_en, draft)
    draft.refresh_from_db()
    assert (draft.number, draft.is_published, draft.published_by) == (2, True, admin_user)

    new = Assessment.objects.start(organisation=assessment.organisation, name="Next year")
    assert new.evaluation_version == draft
    assert new.evaluation_version.as_domain()["track_record"] == 25
    assessment.refresh_from_db()
    assert assessment.evaluation_version == v1
    assert list(assessment.evaluation_version.as_domain().values()) == V1


def test_a_draft_may_be_saved_off_100_but_never_published(admin_en, draft):
    response = edit(admin_en, draft, [15, 10, 20, 15, 10, 10, 10, 5])
    assert response.status_code == 302  # a draft is saved as it is being rebalanced
    page = admin_en.get(area_url(draft)).content.decode()
    assert 'data-total="95"' in page and "The weights add up to 95, not 100." in page

    page = publish(admin_en, draft)
    assert "This draft cannot be published yet:" in page
    assert "The weights add up to 95, not 100." in page
    assert "Published v2" not in page and "weights_sum_to" not in page
    draft.refresh_from_db()
    assert not draft.is_published and draft.number is None
    assert EvaluationVersion.objects.published().count() == 1


def test_a_negative_weight_is_refused_and_nothing_saved(admin_en, draft):
    before = weights_of(draft)
    response = edit(admin_en, draft, [30, 10, -5, 15, 10, 10, 15, 15])
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert "A weight cannot be negative (-5): use 0 for a criterion that should not count." in page
    assert "greater than or equal to" not in page  # one clear message, not two
    draft.refresh_from_db()
    assert draft.note == "" and weights_of(draft) == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda d: d.weights.filter(criterion__in=["security", "bcp"]).delete(),
            "Every criterion needs a weight; missing: Security, Business continuity (BCP).",
        ),
        (
            lambda d: d.weights.filter(criterion="security").update(weight=-20),
            "A weight cannot be negative: Security (-20).",
        ),
        (
            lambda d: d.weights.filter(criterion="security").update(weight=Decimal("20.5")),
            "The weights add up to 100.5, not 100.",
        ),
    ],
)
def test_publishing_names_what_is_wrong(admin_en, draft, damage, message):
    damage(draft)  # past the admin's checks, as a script could
    assert message in publish(admin_en, draft)
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_missing_criterion_gets_a_blank_row_to_fill_in(admin_en, draft):
    draft.weights.filter(criterion="bcp").delete()
    page = admin_en.get(area_url(draft)).content.decode()
    assert 'name="weights-bcp" step="0.01"' in page or 'name="weights-bcp"' in page
    assert edit(admin_en, draft, V1).status_code == 302
    assert draft.problems() == []
    assert draft.weights.get(criterion="bcp").order == VendorCriterion.values.index("bcp")


def test_a_published_version_cannot_be_edited(admin_en, v1):
    before = weights_of(v1)
    assert edit(admin_en, v1, V2).status_code == 404  # the area edits drafts only
    response = admin_en.post(change_url(v1), {"note": "edited"})
    assert response.status_code == 403
    delete = reverse("admin:assessments_evaluationversion_delete", args=[v1.pk])
    assert admin_en.post(delete, {"post": "yes"}).status_code == 403
    v1.refresh_from_db()
    assert weights_of(v1) == before and v1.is_published and v1.note == "SPEC 4.6 defaults"


@pytest.mark.parametrize("page", ["changelist", "change", "add"])
def test_a_user_who_is_not_staff_cannot_reach_the_weights(consultant_client, v1, page):
    args = [v1.pk] if page == "change" else []
    url = reverse(f"admin:assessments_evaluationversion_{page}", args=args)
    response = consultant_client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert consultant_client.post(url, {"note": "x"}).status_code == 302
    assert not EvaluationWeight.objects.exclude(version=v1).exists()


def test_staff_without_the_permission_cannot_either(v1):
    clerk = User.objects.create_user("clerk", is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get(reverse("admin:assessments_evaluationversion_changelist")).status_code == 403


# --- moving an assessment to the newest weights ------------------------------------------------


@pytest.fixture
def v2(admin_user, v1) -> EvaluationVersion:
    """Security 20 → 25, improvement proposals 10 → 5."""
    draft = v1.copy_as_draft()
    draft.weights.filter(criterion="security").update(weight=25)
    draft.weights.filter(criterion="improvement").update(weight=5)
    draft.publish(admin_user)
    return draft


def test_the_versions_page_previews_the_weight_changes_and_moves(
    consultant_client, assessment, v1, v2
):
    url = reverse("assessment_versions", args=[assessment.pk])
    page = consultant_client.get(url).content.decode()
    assert "Vendor criteria v1 (published" in page and "Vendor criteria v2 (published" in page
    assert 'data-version-words="weights" data-count="2"' in page
    assert "Security now counts for 25% of a vendor&#x27;s score (was 20%)." in page
    assert "Improvement proposals now counts for 5% of a vendor&#x27;s score (was 10%)." in page
    assessment.refresh_from_db()
    assert assessment.evaluation_version == v1  # nothing moved yet

    response = consultant_client.post(url, {"seen": "stale"}, follow=True)
    assert "changed since the changes were shown" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.evaluation_version == v1

    page = confirm_version_move(consultant_client, assessment, follow=True).content.decode()
    assert "The assessment now uses Checklist v2 (published" in page
    assert "These are the newest published versions." in page
    assessment.refresh_from_db()
    assert assessment.evaluation_version == v2
    assert assessment.evaluation_version.as_domain()["security"] == 25
