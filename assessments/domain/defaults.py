"""The defaults of SPEC 4.3 and 4.4 as plain data: the first published checklist and rule table.

The data migration publishes these as version 1; administrators edit later versions in the admin.
Wording (ja/en) of criteria and rules lives with the published versions, not here."""

from decimal import Decimal

from assessments.domain.classification import (
    Condition,
    CriteriaVersion,
    Criterion,
    Rule,
    RuleTable,
    Thresholds,
)

ONE = Decimal(1)

CRITERIA = CriteriaVersion(
    criteria=(
        Criterion("C1", "keep", ONE),  # directly tied to sales or profit
        Criterion("C2", "keep", ONE),  # competitive advantage, differentiation
        Criterion("C3", "outsource", ONE),  # can be standardised into a manual
        Criterion("C4", "outsource", ONE),  # needs specialist qualifications or knowledge
        Criterion("C5", "keep", ONE),  # know-how to accumulate in-house
        Criterion("C6", "caution", ONE),  # much confidential or personal information
        Criterion("C7", "keep", ONE),  # very high quality demands, flexible judgment
        Criterion("C8", "outsource", ONE),  # large gap between busy and quiet periods
        Criterion("C9", "outsource", ONE),  # person-dependent
        Criterion("C10", "outsource", ONE),  # external expertise would be more efficient
    ),
    thresholds=Thresholds(),
)

# The revised decision table of SPEC 4.4 (rules 1-8), published as version 2 by migration 0015;
# version 1 (migration 0003) stays as it was for the assessments pinned to it. Rule 7 (internal,
# confidential and personal data never go to crowdsourcing) is the crowdsourcing rule's
# `confidentiality eq public`; rule 8 (a borderline verdict pilots an outsourcing model, never
# dispatch or in-house) is `Recommendation.pilot`.
UNSUITED_FACTORS = ("requirement_changes", "judgment", "tacit_knowledge")
KNOWLEDGE_CATEGORIES = ("analysis", "legal_expert")

RULES = RuleTable(
    rules=(
        # 1. Core stays in-house.
        Rule("core_in_house", "in_house", ((Condition("verdict", "eq", "core"),),)),
        # 2. Day-to-day instructions: dispatch, before rule 3 (the client's own supervisor keeps
        # the judgment: 「現場で指示しながら人手を補いたいなら派遣」).
        Rule(
            "direct_instruction_dispatch",
            "dispatch",
            ((Condition("direct_instruction", "eq", "yes"),),),
        ),
        # 3. Unsuited to outsourcing: one alternative per factor, so the reason can name the
        # factor rated high (Rule.matched).
        Rule(
            "unsuited_in_house",
            "in_house",
            tuple((Condition(factor, "eq", "high"),) for factor in UNSUITED_FACTORS),
        ),
        # 4. Knowledge work, continuous or one-off.
        Rule(
            "knowledge_work_kpo",
            "kpo",
            (
                (
                    Condition("category", "in", KNOWLEDGE_CATEGORIES),
                    Condition("expertise", "ge", 3),
                ),
                (
                    Condition("category", "not_in", (*KNOWLEDGE_CATEGORIES, "it")),
                    Condition("expertise", "ge", 4),
                    Condition("standardizable", "ne", "yes"),
                ),
            ),
        ),
        # 5. One-off work: no clear deliverable, define it first (the runner-up is subcontract);
        # small, simple and on public data only, crowdsourcing; otherwise subcontract.
        Rule(
            "no_deliverable_in_house",
            "in_house",
            (
                (
                    Condition("continuity", "eq", "one_off"),
                    Condition("deliverable_clear", "eq", "no"),
                ),
            ),
        ),
        Rule(
            "small_one_off_crowdsourcing",
            "crowdsourcing",
            (
                (
                    Condition("continuity", "eq", "one_off"),
                    Condition("deliverable_clear", "eq", "yes"),
                    Condition("annual_hours", "lt", 40),
                    Condition("expertise", "le", 2),
                    Condition("confidentiality", "eq", "public"),
                ),
            ),
        ),
        Rule("one_off_subcontract", "subcontract", ((Condition("continuity", "eq", "one_off"),),)),
        # 6. Continuous operation.
        Rule("it_operation_ito", "ito", ((Condition("category", "eq", "it"),),)),
        Rule("operation_bpo", "bpo", ()),
    )
)

# The pre-introduction readiness checklist (SPEC 4.7): the source's twenty items in its order,
# then the personal-data duties: (code, area). Its wording lives with the published versions
# (migrations 0008 and 0016), like the criteria's.
READINESS = (
    ("R01", "purpose"),  # the purpose and the expected effect are clear
    ("R02", "purpose"),  # KPIs and measures are set
    ("R03", "scope"),  # what is in and out of scope is listed
    ("R04", "scope"),  # exceptions and judgment calls are identified
    ("R05", "scope"),  # core and non-core work are separated
    ("R06", "scope"),  # procedures and manuals exist
    ("R07", "risk"),  # which data and personal information the vendor handles
    ("R08", "risk"),  # access rights and security rules
    ("R09", "organisation"),  # an in-house contact and an accountable owner
    ("R10", "organisation"),  # how to communicate with the vendor
    ("R11", "transition"),  # parallel run and transition schedule
    ("R12", "transition"),  # telling staff what changes
    ("R13", "contract"),  # the cost breakdown: initial, monthly, extra
    ("R14", "contract"),  # what triggers extra charges
    ("R15", "contract"),  # SLA and quality standards agreed
    ("R16", "operation"),  # regular reviews and improvement
    ("R17", "risk"),  # re-subcontracting allowed, and how it is controlled
    ("R18", "contract"),  # ending the contract, bringing the work back in-house
    ("R19", "risk"),  # the vendor's business continuity plan
    ("R20", "operation"),  # staying involved rather than handing everything off
    # Added in version 2 (migration 0016): the 個人情報保護法 and 番号法 duties (SPEC 4.4, 4.7).
    ("R21", "risk"),  # supervising the vendor and the contract's safety measures (法第25条)
    ("R22", "risk"),  # the reporting chain for a leak (法第26条)
    ("R23", "risk"),  # handling abroad: the country, consent or equivalent measures (法第28条)
    ("R24", "risk"),  # My Number: use within the work entrusted, re-entrustment with permission
)
# Version 1 (migration 0008): the first twenty, as the source lists them.
READINESS_V1 = READINESS[:20]
