"""Table tests of the knock-outs of SPEC 4.6 and the Privacy-Mark-only warning
(vendors/domain/scoring.py: `exclusions`, `knockouts`, `cautions`, `package_facts`). Pure: no
database. The registry's older knock-outs (service_not_offered, certification_missing) keep their
own table in test_scoring.py."""

from datetime import date

import pytest

from vendors.domain.scoring import (
    DEFAULT_WEIGHTS,
    Certification,
    Knockout,
    Package,
    Vendor,
    cautions,
    exclusions,
    knockouts,
    package_facts,
    rank,
)

ON = date(2026, 4, 1)
DAY_BEFORE = date(2026, 3, 31)

ISMS = Certification("isms")
PMARK = Certification("pmark")
PMARK_EXPIRED = Certification("pmark", DAY_BEFORE)
DISPATCH = Certification("dispatch", date(2029, 3, 31))  # 派13-123456
DISPATCH_TO_DAY = Certification("dispatch", ON)  # valid through its expiry day
DISPATCH_EXPIRED = Certification("dispatch", DAY_BEFORE)
SHAROUSHI = Certification("sharoushi")
SHAROUSHI_EXPIRED = Certification("sharoushi", DAY_BEFORE)
ZEIRISHI = Certification("zeirishi")

MET = dict.fromkeys(
    ("certifications", "access_control", "audit_logs", "resubcontracting", "incident_response"),
    "met",
)
ONE_NOT_MET = {**MET, "incident_response": "not_met"}
TWO_NOT_MET = {**MET, "certifications": "not_met", "audit_logs": "not_met"}
PARTLY = {**MET, "resubcontracting": "partly", "audit_logs": "unknown"}

# Packages as the knock-outs read them (model, data levels of the tasks, licensed work).
BPO = Package("bpo", frozenset({"internal"}))
PERSONAL_BPO = Package("bpo", frozenset({"personal"}))
CONFIDENTIAL_BPO = Package("bpo", frozenset({"confidential"}))
BOTH_BPO = Package("bpo", frozenset({"personal", "confidential"}))
SOCIAL_INSURANCE = Package("bpo", frozenset({"personal"}), frozenset({"sharoushi"}))
TAX_AND_SOCIAL = Package("bpo", frozenset({"internal"}), frozenset({"zeirishi", "sharoushi"}))
STAFFING = Package("dispatch", frozenset({"internal"}))
PERSONAL_STAFFING = Package("dispatch", frozenset({"personal", "confidential"}))
LICENSED_STAFFING = Package("dispatch", frozenset({"personal"}), frozenset({"sharoushi"}))


def vendor(*certifications: Certification, services=("bpo",), security=None) -> Vendor:
    return Vendor("V", frozenset(services), certifications, security=security or MET)


HAKEN = ("dispatch",)  # a 派遣会社: offers dispatch only


@pytest.mark.parametrize(
    ("who", "package", "expected"),
    [
        # --- licence_missing: the dispatch licence of a staffing package
        pytest.param(vendor(DISPATCH, services=HAKEN), STAFFING, (), id="licensed-haken"),
        pytest.param(
            vendor(services=HAKEN),
            STAFFING,
            (Knockout("licence_missing", ("dispatch",)),),
            id="haken-without-licence",
        ),
        pytest.param(
            vendor(DISPATCH_TO_DAY, services=HAKEN), STAFFING, (), id="licence-expiring-today"
        ),
        pytest.param(
            vendor(DISPATCH_EXPIRED, services=HAKEN),
            STAFFING,
            (Knockout("licence_missing", ("dispatch",)),),
            id="licence-expired-yesterday",
        ),
        pytest.param(
            vendor(DISPATCH, ISMS),
            STAFFING,
            (Knockout("service_not_offered", ("dispatch",)),),
            id="licence-but-no-dispatch-service",
        ),
        pytest.param(
            vendor(ISMS, PMARK),
            STAFFING,
            (
                Knockout("service_not_offered", ("dispatch",)),
                Knockout("licence_missing", ("dispatch",)),
            ),
            id="bpo-vendor-for-staffing",
        ),
        # Staffing stands apart from data leaving the company: a 派遣会社 without ISMS or the
        # Privacy Mark, or with a security item not met, is not knocked out of it.
        pytest.param(
            vendor(DISPATCH, services=HAKEN),
            PERSONAL_STAFFING,
            (),
            id="staffing-personal-data-no-certification",
        ),
        pytest.param(
            vendor(DISPATCH, services=HAKEN, security=TWO_NOT_MET),
            PERSONAL_STAFFING,
            (),
            id="staffing-security-not-met",
        ),
        pytest.param(
            vendor(DISPATCH, services=HAKEN),
            LICENSED_STAFFING,
            (),
            id="staffing-licensed-work-needs-no-registration",
        ),
        # --- licence_missing: the registrations of licensed work
        pytest.param(vendor(ISMS, SHAROUSHI), SOCIAL_INSURANCE, (), id="shaoroushi-registered"),
        pytest.param(
            vendor(ISMS),
            SOCIAL_INSURANCE,
            (Knockout("licence_missing", ("sharoushi",)),),
            id="no-sharoushi",
        ),
        pytest.param(
            vendor(ISMS, SHAROUSHI_EXPIRED),
            SOCIAL_INSURANCE,
            (Knockout("licence_missing", ("sharoushi",)),),
            id="sharoushi-expired",
        ),
        pytest.param(
            vendor(ISMS, ZEIRISHI),
            SOCIAL_INSURANCE,
            (Knockout("licence_missing", ("sharoushi",)),),
            id="the-wrong-registration",
        ),
        pytest.param(
            vendor(ISMS, DISPATCH),
            SOCIAL_INSURANCE,
            (Knockout("licence_missing", ("sharoushi",)),),
            id="a-dispatch-licence-is-no-registration",
        ),
        pytest.param(vendor(SHAROUSHI, ZEIRISHI), TAX_AND_SOCIAL, (), id="both-registrations"),
        pytest.param(
            vendor(SHAROUSHI),
            TAX_AND_SOCIAL,
            (Knockout("licence_missing", ("zeirishi",)),),
            id="one-of-two-missing",
        ),
        pytest.param(
            vendor(),
            TAX_AND_SOCIAL,
            (Knockout("licence_missing", ("sharoushi", "zeirishi")),),
            id="both-missing-in-order",
        ),
        # --- security_check_failed: only "not met" excludes, only for sensitive data
        pytest.param(vendor(ISMS), PERSONAL_BPO, (), id="all-met"),
        pytest.param(vendor(ISMS, security=PARTLY), PERSONAL_BPO, (), id="partly-or-unchecked"),
        pytest.param(vendor(ISMS, security={}), PERSONAL_BPO, (), id="never-checked"),
        pytest.param(
            vendor(ISMS, security=ONE_NOT_MET),
            PERSONAL_BPO,
            (Knockout("security_check_failed", ("incident_response",)),),
            id="one-item-not-met-personal",
        ),
        pytest.param(
            vendor(ISMS, security=TWO_NOT_MET),
            CONFIDENTIAL_BPO,
            (Knockout("security_check_failed", ("certifications", "audit_logs")),),
            id="two-items-not-met-confidential",
        ),
        pytest.param(vendor(security=TWO_NOT_MET), BPO, (), id="not-met-internal-data"),
        # --- everything at once, in the codes' order
        pytest.param(
            vendor(PMARK_EXPIRED, services=("ito",), security=ONE_NOT_MET),
            SOCIAL_INSURANCE,
            (
                Knockout("service_not_offered", ("bpo",)),
                Knockout("licence_missing", ("sharoushi",)),
                Knockout("certification_missing"),
                Knockout("security_check_failed", ("incident_response",)),
            ),
            id="all-four",
        ),
    ],
)
def test_exclusions(who, package, expected):
    assert exclusions(who, package, on=ON) == expected
    assert knockouts(who, package, on=ON) == tuple(k.code for k in expected)


@pytest.mark.parametrize(
    ("who", "package", "expected"),
    [
        pytest.param(vendor(PMARK), CONFIDENTIAL_BPO, ("privacy_mark_only",), id="pmark-only"),
        pytest.param(vendor(PMARK), BOTH_BPO, ("privacy_mark_only",), id="pmark-only-both"),
        pytest.param(vendor(PMARK), PERSONAL_BPO, (), id="pmark-for-personal-data"),
        pytest.param(vendor(PMARK, ISMS), CONFIDENTIAL_BPO, (), id="pmark-and-isms"),
        pytest.param(vendor(ISMS), CONFIDENTIAL_BPO, (), id="isms-only"),
        pytest.param(
            vendor(PMARK, Certification("isms", DAY_BEFORE)),
            CONFIDENTIAL_BPO,
            ("privacy_mark_only",),
            id="isms-expired",
        ),
        pytest.param(vendor(PMARK_EXPIRED), CONFIDENTIAL_BPO, (), id="no-valid-mark: excluded"),
        pytest.param(vendor(PMARK), BPO, (), id="internal-data"),
        pytest.param(vendor(PMARK, DISPATCH, services=HAKEN), PERSONAL_STAFFING, (), id="staffing"),
    ],
)
def test_the_privacy_mark_only_warning(who, package, expected):
    assert cautions(who, package, on=ON) == expected


def test_a_warning_excludes_no_one_and_shows_in_the_ranking():
    weights = dict(DEFAULT_WEIGHTS)
    marked = Vendor("Mark only", frozenset({"bpo"}), (PMARK,))
    failed = Vendor("Not met", frozenset({"bpo"}), (ISMS,), security=ONE_NOT_MET)
    rows = {row.name: row for row in rank([marked, failed], weights, CONFIDENTIAL_BPO, on=ON)}
    assert not rows["Mark only"].excluded
    assert rows["Mark only"].cautions == ("privacy_mark_only",)
    assert rows["Not met"].excluded
    assert rows["Not met"].exclusion_reasons == ("security_check_failed",)
    assert rows["Not met"].knockouts == (Knockout("security_check_failed", ("incident_response",)),)


@pytest.mark.parametrize(
    ("model", "tasks", "expected"),
    [
        pytest.param("bpo", [], Package("bpo"), id="no-tasks"),
        pytest.param(
            "bpo",
            [("internal", False, ""), ("public", False, "")],
            Package("bpo"),
            id="nothing-sensitive",
        ),
        pytest.param(
            "bpo",
            [("personal", True, "sharoushi"), ("internal", False, "")],
            Package("bpo", frozenset({"personal"}), frozenset({"sharoushi"})),
            id="social-insurance",
        ),
        pytest.param(
            "bpo",
            [("confidential", True, "zeirishi"), ("personal", True, "sharoushi")],
            Package("bpo", frozenset({"confidential", "personal"}), {"zeirishi", "sharoushi"}),
            id="both",
        ),
        # Sensitive by the answer to C6 alone: which data is not said; read as confidential.
        pytest.param(
            "kpo",
            [("internal", True, "")],
            Package("kpo", frozenset({"confidential"})),
            id="by-the-answer",
        ),
    ],
)
def test_package_facts_come_from_the_tasks(model, tasks, expected):
    facts = package_facts(model, tasks)
    assert (facts.model, set(facts.confidentiality), set(facts.licences)) == (
        expected.model,
        set(expected.confidentiality),
        set(expected.licences),
    )


@pytest.mark.django_db
def test_the_report_carries_the_privacy_mark_only_warning(consultant, invited, tmp_path):
    """Payroll is confidential business data here: Mirai, with the Privacy Mark only, stays in
    the ranking, and the report says what its mark does not cover."""
    from django.urls import reverse

    from tests.helpers import bid_url, client_for, pdf_text, scores, squeeze

    mirai_bid, sakura_bid = invited
    package = mirai_bid.package
    package.tasks.filter(process="Payroll").update(confidentiality="confidential")
    kenji = client_for(consultant)
    for bid in (mirai_bid, sakura_bid):  # his own scores open the ranking to him
        assert kenji.post(bid_url("bid_score", package, bid.pk), scores(4)).status_code == 302
    response = kenji.get(
        reverse("report_pdf", args=[mirai_bid.package.assessment_id]), {"lang": "en"}
    )
    text = squeeze(pdf_text(response.content, tmp_path))
    assert "MiraiOutsourcing" in text
    assert squeeze("Holds the Privacy Mark only: it covers personal information") in text
