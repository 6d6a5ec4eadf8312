"""Enumerations of the inventory (SPEC 6.1). Keys are stored; labels are English msgids translated
to Japanese. A context separates labels that are the same in English but not in Japanese."""

from functools import cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outsourcing_advisor.common.wording import reader_language


class Category(models.TextChoices):
    HR = "hr", pgettext_lazy("category", "HR and labour")
    ACCOUNTING = "accounting", pgettext_lazy("category", "Accounting and finance")
    GENERAL_AFFAIRS = "general_affairs", pgettext_lazy("category", "General affairs and reception")
    CUSTOMER_SUPPORT = (
        "customer_support",
        pgettext_lazy("category", "Customer support and call centre"),
    )
    DATA_ENTRY = "data_entry", pgettext_lazy("category", "Data entry and routine clerical work")
    IT = "it", pgettext_lazy("category", "IT operations, maintenance and helpdesk")
    ANALYSIS = "analysis", pgettext_lazy("category", "Analysis, research and reporting")
    LEGAL_EXPERT = "legal_expert", pgettext_lazy("category", "Legal, patents and specialist work")
    CREATIVE = "creative", pgettext_lazy("category", "Production, design and writing")
    SALES_MARKETING = "sales_marketing", pgettext_lazy("category", "Sales and marketing")
    PLANNING = "planning", pgettext_lazy("category", "Planning and strategy")
    OTHER = "other", pgettext_lazy("category", "Other")


class Frequency(models.TextChoices):
    DAILY = "daily", pgettext_lazy("frequency", "Daily")
    WEEKLY = "weekly", pgettext_lazy("frequency", "Weekly")
    MONTHLY = "monthly", pgettext_lazy("frequency", "Monthly")
    QUARTERLY = "quarterly", pgettext_lazy("frequency", "Quarterly")
    SEMIANNUAL = "semiannual", pgettext_lazy("frequency", "Semiannual")
    YEARLY = "yearly", pgettext_lazy("frequency", "Yearly")
    AD_HOC = "ad_hoc", pgettext_lazy("frequency", "Ad hoc")


class Standardizable(models.TextChoices):
    YES = "yes", pgettext_lazy("standardizable", "Yes")
    PARTLY = "partly", pgettext_lazy("standardizable", "Partly")
    NO = "no", pgettext_lazy("standardizable", "No")


class Presence(models.TextChoices):
    """Whether something exists: a manual, a clear deliverable."""

    YES = "yes", pgettext_lazy("presence", "Yes")
    NO = "no", pgettext_lazy("presence", "No")


class LicensedWork(models.TextChoices):
    """Work that only a registered professional may do for others (SPEC 4.4): filing social-
    insurance documents (社会保険労務士法), tax returns (税理士法), legal advice (弁護士法 72条),
    registrations (司法書士法) and documents for the authorities (行政書士法)."""

    SHAROUSHI = (
        "sharoushi",
        pgettext_lazy("licence", "Labour and social security attorney (社労士)"),
    )
    ZEIRISHI = "zeirishi", pgettext_lazy("licence", "Certified tax accountant (税理士)")
    BENGOSHI = "bengoshi", pgettext_lazy("licence", "Attorney (弁護士)")
    SHIHO_SHOSHI = "shiho_shoshi", pgettext_lazy("licence", "Judicial scrivener (司法書士)")
    GYOSEI_SHOSHI = "gyosei_shoshi", pgettext_lazy("licence", "Administrative scrivener (行政書士)")


class Need(models.TextChoices):
    """Whether the client must direct the worker day to day."""

    YES = "yes", pgettext_lazy("need", "Required")
    NO = "no", pgettext_lazy("need", "Not required")


class Size(models.TextChoices):
    """Seasonality: the gap between busy and quiet periods."""

    LOW = "low", pgettext_lazy("size", "Small")
    MEDIUM = "medium", pgettext_lazy("size", "Medium")
    HIGH = "high", pgettext_lazy("size", "Large")


class Amount(models.TextChoices):
    """Judgment, requirement changes, tacit knowledge: how much of it there is."""

    LOW = "low", pgettext_lazy("amount", "Little")
    MEDIUM = "medium", pgettext_lazy("amount", "Some")
    HIGH = "high", pgettext_lazy("amount", "Much")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("confidentiality", "Public")
    INTERNAL = "internal", pgettext_lazy("confidentiality", "Internal")
    CONFIDENTIAL = "confidential", pgettext_lazy("confidentiality", "Confidential")
    PERSONAL = "personal", pgettext_lazy("confidentiality", "Personal data")


class Continuity(models.TextChoices):
    ONGOING = "ongoing", pgettext_lazy("continuity", "Ongoing")
    ONE_OFF = "one_off", pgettext_lazy("continuity", "One-off")


@cache
def _labels(choices: type[models.TextChoices], language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


def label(choices: type[models.TextChoices], value: str) -> str:
    """The value's label in the active language. Unlike `get_FOO_display()`, which translates
    every choice on every call, this is a dictionary lookup: tables show a thousand rows."""
    return _labels(choices, reader_language()).get(value, value)


class CheckAnswer(models.TextChoices):
    """An answer to one question of the core/non-core check."""

    YES = "yes", pgettext_lazy("answer", "Yes")
    PARTLY = "partly", pgettext_lazy("answer", "Partly")
    NO = "no", pgettext_lazy("answer", "No")
    UNKNOWN = "unknown", pgettext_lazy("answer", "Don't know")


# --- the vocabulary of the check, the recommendation and the selection ---------------------


class Direction(models.TextChoices):
    KEEP = "keep", _("Keep in-house")
    OUTSOURCE = "outsource", _("Outsource")
    CAUTION = "caution", _("Caution")


class Scoring(models.TextChoices):
    """What a checklist version divides the points by (classification.Scoring)."""

    ANSWERED = "answered", _("The questions answered")
    ALL = "all", _("Every question (unanswered ones add no points)")


class Outcome(models.TextChoices):
    BPO = "bpo", _("BPO")
    ITO = "ito", _("ITO")
    KPO = "kpo", _("KPO")
    DISPATCH = "dispatch", _("Dispatch (temporary staff)")
    CROWDSOURCING = "crowdsourcing", _("Crowdsourcing")
    SUBCONTRACT = "subcontract", _("Subcontract")
    IN_HOUSE = "in_house", _("In-house")


# Dispatch is not outsourcing (SPEC 4.4): 人材派遣 moves people in (リソースイン), outsourcing moves
# work out (タスクアウト). Wherever outsourcing is counted or planned, these models stand apart as
# external staffing: their own packages, a staffing request instead of an RFP, hourly quotes.
STAFFING_MODELS = frozenset({Outcome.DISPATCH.value})


def is_staffing(model: str) -> bool:
    """The model is external staffing (dispatch), not outsourcing."""
    return model in STAFFING_MODELS


class VendorCriterion(models.TextChoices):
    """The eight criteria vendors are scored on (SPEC 4.6), in the source's order."""

    TRACK_RECORD = "track_record", _("Track record")
    TEAM = "team", _("Team and backup")
    SECURITY = "security", _("Security")
    SLA_QUALITY = "sla_quality", _("SLA and quality management")
    IMPROVEMENT = "improvement", _("Improvement proposals")
    BCP = "bcp", _("Business continuity (BCP)")
    COST_BREAKDOWN = "cost_breakdown", _("Cost breakdown")
    CONTRACT_TERMS = "contract_terms", _("Contract terms (liability, exit, transfer)")


class ReadinessArea(models.TextChoices):
    """What a readiness item is about; the grid shows it beside each item."""

    PURPOSE = "purpose", _("Purpose and measures")
    SCOPE = "scope", _("Scope")
    RISK = "risk", _("Information and risk")
    ORGANISATION = "organisation", _("People and communication")
    TRANSITION = "transition", _("Transition")
    CONTRACT = "contract", _("Cost and contract")
    OPERATION = "operation", _("Running and improving")


class Verdict(models.TextChoices):
    CORE = "core", _("Core")
    NON_CORE = "non_core", _("Non-core")
    BORDERLINE = "borderline", _("Borderline")
    INCOMPLETE = "incomplete", _("Incomplete")
