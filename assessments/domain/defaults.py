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

SENSITIVE = ("confidential", "personal")

RULES = RuleTable(
    rules=(
        Rule("core_in_house", "in_house", ((Condition("verdict", "eq", "core"),),)),
        Rule(
            "unsuited_in_house",
            "in_house",
            (
                (Condition("requirement_changes", "eq", "high"),),
                (Condition("judgment", "eq", "high"),),
                (Condition("tacit_knowledge", "eq", "high"),),
            ),
        ),
        Rule(
            "direct_instruction_dispatch",
            "dispatch",
            ((Condition("direct_instruction", "eq", "yes"),),),
        ),
        Rule(
            "knowledge_work_kpo",
            "kpo",
            (
                (
                    Condition("category", "in", ("analysis", "legal_expert")),
                    Condition("expertise", "ge", 3),
                ),
            ),
        ),
        Rule(
            "small_one_off_crowdsourcing",
            "crowdsourcing",
            (
                (
                    Condition("continuity", "eq", "one_off"),
                    Condition("annual_hours", "lt", 40),
                    Condition("expertise", "le", 2),
                    Condition("confidentiality", "not_in", SENSITIVE),
                ),
            ),
        ),
        Rule("one_off_subcontract", "subcontract", ((Condition("continuity", "eq", "one_off"),),)),
        Rule("it_operation_ito", "ito", ((Condition("category", "eq", "it"),),)),
        Rule("operation_bpo", "bpo", ()),
    )
)

# The twenty-item pre-introduction readiness checklist (SPEC 4.7), in the source's order: (code,
# area). Its wording lives with the published version (migration 0008), like the criteria's.
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
)
