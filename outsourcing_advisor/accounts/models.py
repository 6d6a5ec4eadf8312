"""Tenancy: a client company is an organisation; people belong to it through memberships."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.common import defaults

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def person_name(user: Any) -> str:
    """How a person is named on pages, reports and in the history: full name, else user name.
    In Japanese the family name comes first (佐藤 健二), as Japanese documents write it."""
    family, given = user.last_name.strip(), user.first_name.strip()
    if family and given and (translation.get_language() or "").startswith("ja"):
        return f"{family} {given}"
    return user.get_full_name().strip() or user.get_username()


class RevenueBand(models.TextChoices):
    UNDER_50M = "under_50m", _("Under ¥50M")
    FROM_50M = "50m_100m", _("¥50M–100M")
    FROM_100M = "100m_1b", _("¥100M–1B")
    OVER_1B = "over_1b", _("Over ¥1B")


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    CONSULTANT = "consultant", _("Consultant")
    VIEWER = "viewer", _("Viewer")


EDITING_ROLES = frozenset({Role.MANAGER, Role.CONSULTANT})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_user(self, user: User) -> OrganisationQuerySet:
        return self.filter(memberships__user=user)

    def with_role(self, user: User) -> OrganisationQuerySet:
        """Only the user's organisations, each annotated with the user's `role` in it."""
        return self.for_user(user).annotate(role=models.F("memberships__role"))


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue_band = models.CharField(
        _("revenue band"), max_length=20, choices=RevenueBand.choices, blank=True
    )
    indirect_headcount = models.PositiveIntegerField(
        _("staff in indirect departments"),
        null=True,
        blank=True,
        help_text=_("HR, general affairs, accounting, information systems and the like."),
    )
    hourly_cost = models.DecimalField(
        _("loaded hourly cost (yen)"),
        max_digits=9,
        decimal_places=0,
        default=defaults.HOURLY_COST,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(1_000_000))],
        help_text=_("Salary, social insurance and overhead per working hour."),
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days per year"),
        default=defaults.WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    yearly_hours = models.PositiveIntegerField(
        _("working hours per person per year"),
        default=defaults.YEARLY_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(8784)],
    )
    # How far the inventory's estimates may be off, and the consumption tax it cannot recover
    # (a bank or hospital with tax-exempt sales): both bear on the saving (SPEC 4.5).
    estimate_spread = models.PositiveSmallIntegerField(
        _("estimate spread (±%)"),
        default=defaults.ESTIMATE_SPREAD,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "How far the inventory's minutes and volumes may be off, in per cent either way; "
            "the saving's range is drawn from it."
        ),
    )
    tax_unrecoverable = models.PositiveSmallIntegerField(
        _("consumption tax not recoverable (%)"),
        default=defaults.TAX_UNRECOVERABLE,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The share of the consumption tax on vendors' fees the organisation cannot deduct: "
            "0 for most companies, more where sales are largely tax-exempt."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # the stamp of its settings form (stamps.py)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        """The reader's role in it (`with_role` annotates `role`) in the reader's language: the
        annotation is the stored value ("manager"), which no `get_role_display` words."""
        role = getattr(self, "role", "")
        return str(Role(role).label) if role in Role.values else ""


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    """A manager's invitation to join the organisation with a role (issue 18): a link whose
    token is stored only as its SHA-256, valid until it expires, is revoked or is used once."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    email = models.EmailField(_("e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role}, {self.created_at:%Y-%m-%d})"


class Profile(models.Model):
    """Per-user preferences; created on first use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
