"""The vendor registry (one per site, kept by consultants), the vendors invited to bid for a
sourcing package with their quotes, and each evaluator's scores (SPEC 4.5, 4.6)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.domain.choices import LicensedWork
from assessments.models import Package
from outsourcing_advisor.accounts.models import Membership, Role
from vendors.domain import corporate_number

User = settings.AUTH_USER_MODEL


class MoneyOptions(TypedDict):
    """The DecimalField arguments that amounts of money share."""

    max_digits: int
    decimal_places: int
    validators: list[MinValueValidator]


MONEY: MoneyOptions = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0))],
}


class VendorQuerySet(models.QuerySet["Vendor"]):
    def for_user(self, user: Any) -> VendorQuerySet:
        """The registry is the site's: consultants (of any organisation) and staff see it."""
        if user.is_staff or Membership.objects.filter(user=user, role=Role.CONSULTANT).exists():
            return self.all()
        return self.none()


def validate_corporate_number(value: str) -> None:
    if value and not corporate_number.is_valid(value):
        raise ValidationError(
            _("A corporate number has 13 digits and a valid check digit (the first)."),
            code="invalid_corporate_number",
        )


class Vendor(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    corporate_number = models.CharField(
        _("corporate number (法人番号)"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text=_("13 digits, as on the National Tax Agency's corporate number site."),
    )
    services = models.JSONField(_("services"), default=list, blank=True)  # model keys
    industries = models.CharField(_("industries"), max_length=300, blank=True)
    locations = models.CharField(_("locations"), max_length=300, blank=True)
    track_record = models.TextField(_("track record"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self) -> str:
        return self.name

    def valid_certifications(self, on: datetime.date) -> set[str]:
        """Kinds held on the date; an expired certification counts as missing. Uses the
        prefetched certifications when there are some."""
        return {c.kind for c in self.certifications.all() if c.is_valid(on)}

    def registry_facts(self) -> dict[str, Any]:
        """What a package evaluates of the vendor, as a bid holds it (`Bid.registry`): the
        services, each certification's kind and expiry ("" for none), and the answer to each
        item of the security check. Canonical (sorted, every item present), so that two reads
        of an unchanged vendor are equal. Uses the prefetched certifications and checks."""
        answers = {check.item: check.status for check in self.security_checks.all()}
        return {
            "services": sorted(self.services),
            "certifications": sorted(
                [c.kind, c.expires_on.isoformat() if c.expires_on else ""]
                for c in self.certifications.all()
            ),
            "security": {
                item: answers.get(item, SecurityStatus.UNKNOWN) for item in SecurityItem.values
            },
        }


class CertificationKind(models.TextChoices):
    ISMS = "isms", _("ISMS / ISO 27001")
    PMARK = "pmark", _("Privacy Mark")
    ISO9001 = "iso9001", _("ISO 9001")
    # Licences and registrations (SPEC 4.6): the number is the 許可番号 or registration number.
    DISPATCH = "dispatch", _("Worker dispatching licence (労働者派遣事業)")
    SHAROUSHI = "sharoushi", LicensedWork.SHAROUSHI.label
    ZEIRISHI = "zeirishi", LicensedWork.ZEIRISHI.label
    BENGOSHI = "bengoshi", LicensedWork.BENGOSHI.label
    SHIHO_SHOSHI = "shiho_shoshi", LicensedWork.SHIHO_SHOSHI.label
    GYOSEI_SHOSHI = "gyosei_shoshi", LicensedWork.GYOSEI_SHOSHI.label
    OTHER = "other", _("Other")


# The licences and registrations among the kinds: recorded with their number, never without.
LICENCE_KINDS = frozenset(
    {
        CertificationKind.DISPATCH,
        CertificationKind.SHAROUSHI,
        CertificationKind.ZEIRISHI,
        CertificationKind.BENGOSHI,
        CertificationKind.SHIHO_SHOSHI,
        CertificationKind.GYOSEI_SHOSHI,
    }
)


class Certification(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(
        _("certification or licence"), max_length=15, choices=CertificationKind.choices
    )
    number = models.CharField(_("number or name"), max_length=100, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "expires_on"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.get_kind_display()

    def is_valid(self, on: datetime.date) -> bool:
        return self.expires_on is None or self.expires_on >= on


class SecurityItem(models.TextChoices):
    """The five-item security check of a vendor (SPEC 4.6)."""

    CERTIFICATIONS = "certifications", _("Certifications")
    ACCESS_CONTROL = "access_control", _("Access control")
    AUDIT_LOGS = "audit_logs", _("Audit logs")
    RESUBCONTRACTING = "resubcontracting", _("Re-subcontracting")
    INCIDENT_RESPONSE = "incident_response", _("Incident response")


class SecurityStatus(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Not checked")


class SecurityCheck(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="security_checks")
    item = models.CharField(_("item"), max_length=20, choices=SecurityItem.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SecurityStatus.choices, default=SecurityStatus.UNKNOWN
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "item"], name="one_check_per_vendor_item")
        ]
        verbose_name = _("security check")
        verbose_name_plural = _("security checks")

    def __str__(self) -> str:
        return f"{self.vendor}: {self.get_item_display()}"


class PricingModel(models.TextChoices):
    VOLUME = "volume", _("Volume-based (業務委託型)")
    OUTCOME = "outcome", _("Outcome-based (成果報酬型)")
    SUBSCRIPTION = "subscription", _("Subscription (サブスク型)")
    # Staffing (派遣): the unit price is the hourly rate, the annual volume the hours.
    HOURLY = "hourly", _("Hourly rate (派遣)")


def parsed_registry_facts(value: Any) -> dict[str, Any] | None:
    """What a bid holds of the registry when it has the shape `Vendor.registry_facts` writes,
    else None (nothing held, or a value no page could read)."""
    if not isinstance(value, dict) or set(value) != {"services", "certifications", "security"}:
        return None
    services, certifications, security = (
        value["services"],
        value["certifications"],
        value["security"],
    )
    if not (isinstance(services, list) and all(isinstance(key, str) for key in services)):
        return None
    if not isinstance(certifications, list) or not all(
        isinstance(c, list)
        and len(c) == 2
        and c[0] in CertificationKind.values
        and isinstance(c[1], str)
        and (c[1] == "" or _is_date(c[1]))
        for c in certifications
    ):
        return None
    if not isinstance(security, dict) or not all(
        item in SecurityItem.values and status in SecurityStatus.values
        for item, status in security.items()
    ):
        return None
    return value


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def validate_registry_facts(value: Any) -> None:
    """Nothing held ({}), or the registry's facts as `Vendor.registry_facts` writes them."""
    if value != {} and parsed_registry_facts(value) is None:
        raise ValidationError(
            _("Not a vendor's registry entry as a bid holds it."), code="invalid_registry"
        )


class Bid(models.Model):
    """A vendor invited to a package, with its quote, and the vendor's registry entry as the
    package evaluates it (`registry`, see vendors.services.registry)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="bids")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="bids")
    pricing_model = models.CharField(
        _("pricing model"), max_length=15, choices=PricingModel.choices, blank=True
    )
    initial_fee = models.DecimalField(_("initial fee (yen)"), null=True, blank=True, **MONEY)
    monthly_fee = models.DecimalField(_("monthly fee (yen)"), null=True, blank=True, **MONEY)
    unit_price = models.DecimalField(_("unit price (yen)"), null=True, blank=True, **MONEY)
    annual_volume = models.DecimalField(_("annual volume"), null=True, blank=True, **MONEY)
    # An outcome-based quote's own range of outcomes a year (SPEC 4.5): the saving's range
    # draws the outcome fee between them.
    annual_volume_low = models.DecimalField(
        _("annual volume, lowest"), null=True, blank=True, **MONEY
    )
    annual_volume_high = models.DecimalField(
        _("annual volume, highest"), null=True, blank=True, **MONEY
    )
    quote_note = models.TextField(_("quote notes"), blank=True)
    # The vendor's answers to the 告示37号 statements, as accepted from its submission (SPEC 4.6):
    # {item: "yes" | "no"}.
    statements = models.JSONField(_("告示37号 statements"), default=dict, blank=True)
    # The package's scope (its tasks) the quote was given for: when the tasks change, the quote
    # is marked "scope changed since the quote" until a consultant confirms it (SPEC 4.5).
    scope_stamp = models.CharField(max_length=64, blank=True, editable=False)
    # What the knock-outs read of the vendor, as it stood when the vendor was accepted for the
    # package or when a consultant last confirmed the registry for it (Vendor.registry_facts);
    # {}: nothing held (an old export), the registry as it is is read. Plain JSON, exported as
    # it is.
    registry = models.JSONField(
        _("registry entry as evaluated"),
        default=dict,
        blank=True,
        validators=[validate_registry_facts],
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["vendor__name"]
        constraints = [
            models.UniqueConstraint(fields=["package", "vendor"], name="one_bid_per_vendor")
        ]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")

    def __str__(self) -> str:
        return f"{self.vendor} → {self.package}"

    @property
    def has_quote(self) -> bool:
        return self.monthly_fee is not None or self.unit_price is not None

    @classmethod
    def invite(cls, package: Package, vendor: Vendor) -> tuple[Bid, bool]:
        """Invite a vendor to bid for a package: (the bid, whether it is new). A new bid holds
        the vendor's registry entry as it is now: later edits of the registry, made for any
        organisation, do not change this package's evaluation until a consultant confirms them
        (vendors.services.registry.confirm)."""
        found = cls.objects.filter(package=package, vendor=vendor).first()
        if found is not None:
            return found, False
        held = Vendor.objects.prefetch_related("certifications", "security_checks").get(
            pk=vendor.pk
        )
        return cls.objects.get_or_create(
            package=package, vendor=vendor, defaults={"registry": held.registry_facts()}
        )

    def evaluation_by(self, user: Any) -> Evaluation | None:
        """The user's own evaluation, from the prefetched ones when there are."""
        return next((e for e in self.evaluations.all() if e.evaluator_id == user.pk), None)


class Evaluation(models.Model):
    """One evaluator's scores of one bid: 1–5 per criterion, each with a comment. Hidden from the
    other evaluators of the package until they have submitted their own."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("scores"), default=dict)  # {"security": 4, …}
    comments = models.JSONField(_("comments"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The package's scope the scores were given for (see Bid.scope_stamp).
    scope_stamp = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bid", "evaluator"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "evaluator"], name="one_evaluation_per_person")
        ]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.bid}: {self.evaluator}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def record(
        self, scores: dict[str, int | None], comments: dict[str, str], *, submit: bool
    ) -> None:
        """Save the scores (a draft may leave some out); submitting shows them to the other
        evaluators and counts them in the ranking. A submitted evaluation stays submitted."""
        self.scores = {key: score for key, score in scores.items() if score is not None}
        self.comments = {key: text for key, text in comments.items() if text}
        if submit and self.submitted_at is None:
            self.submitted_at = timezone.now()
        self.save()


# --- vendors answer by link (SPEC 4.6) ------------------------------------------------------


class VendorLink(models.Model):
    """A link a consultant issues to an invited vendor: the vendor answers through it without an
    account. Only the token's SHA-256 is stored; the token itself is shown once, when issued.
    Bound to one bid (one vendor, one package): everything the vendor's page reads or writes is
    found from the link, never from the URL or the form."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The language the vendor's page opens in (it can switch); the invitation mail's too.
    language = models.CharField(_("language"), max_length=10, default="ja")
    last_opened_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vendor link")
        verbose_name_plural = _("vendor links")

    def __str__(self) -> str:
        return f"{self.bid} ({self.created_at:%Y-%m-%d})"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class Submission(models.Model):
    """What a vendor entered behind its link: its quote, the five-item security check, the
    告示37号 statements and its certifications and licences. A draft until the vendor submits
    it; then read-only until a consultant accepts it into the bid or returns it with a comment.
    Plain JSON, each part validated by the vendor's form before it is stored."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="submissions")
    link = models.ForeignKey(
        VendorLink, on_delete=models.SET_NULL, null=True, related_name="submissions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default="draft"
    )
    quote = models.JSONField(_("quote"), default=dict, blank=True)
    security = models.JSONField(_("security check"), default=dict, blank=True)
    statements = models.JSONField(_("告示37号 statements"), default=dict, blank=True)
    certifications = models.JSONField(_("certifications and licences"), default=list, blank=True)
    contact = models.JSONField(_("contact"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comment to the vendor"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vendor submission")
        verbose_name_plural = _("vendor submissions")

    def __str__(self) -> str:
        return f"{self.bid}: {self.status}"


# --- the evaluation panel (SPEC 4.6) ----------------------------------------------------------


class Consensus(models.Model):
    """The panel's agreed score of one criterion of one bid, recorded by the lead consultant with
    a written reason, beside the evaluators' own scores (which stay as they are)."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="consensus")
    criterion = models.CharField(_("criterion"), max_length=20)
    score = models.PositiveSmallIntegerField(_("consensus score"))
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bid", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_consensus_per_criterion")
        ]
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")

    def __str__(self) -> str:
        return f"{self.bid}: {self.criterion} {self.score}"
