"""The defaults of SPEC 4.3 and 4.4 as plain data: the first published checklist and rule table.

The data migration publishes these as version 1; administrators edit later versions in the admin.
Wording (ja/en) of criteria and rules lives with the published versions, not here."""

from decimal import Decimal

from assessments.classification import (
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
