"""The forms of the vendor registry: the vendor itself, its certifications and the five-item
security check, edited and saved together (SPEC 4.6)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.domain.choices import Outcome, VendorCriterion
from assessments.models import Package
from assessments.web.import_forms import FileUploadForm
from outsourcing_advisor.common.stamps import StampedModelForm, StampField
from vendors.domain import corporate_number, horizon
from vendors.domain.scoring import HIGHEST_SCORE, LOWEST_SCORE
from vendors.models import (
    LICENCE_KINDS,
    Bid,
    Certification,
    CertificationKind,
    PricingModel,
    SecurityCheck,
    SecurityItem,
    SecurityStatus,
    Vendor,
)
from vendors.services import registry

# What a vendor can offer: the models of the check, less keeping the work in-house.
SERVICE_CHOICES = [(key, label) for key, label in Outcome.choices if key != Outcome.IN_HOUSE]


class ServicesField(forms.MultipleChoiceField):
    """Checkboxes over the models; the keys are kept in the models' order."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Services (models offered)"))
        kwargs.setdefault("required", False)
        super().__init__(choices=SERVICE_CHOICES, **kwargs)

    def clean(self, value: Any) -> list[str]:
        chosen = set(super().clean(value))
        return [key for key, _label in SERVICE_CHOICES if key in chosen]


class MarksInvalid(forms.BaseForm):
    """Inputs with an error get Bootstrap's `is-invalid` and `aria-invalid`, for the forms laid
    out by hand in tables (crispy does this itself)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


class VendorForm(StampedModelForm):
    """The vendor itself; its stamp (`seen`) refuses a save over someone else's newer change of
    the vendor, its certifications or its security check (each save of the page changes the
    vendor's `updated_at`)."""

    services = ServicesField()
    # Longer than the 13 digits stored: people type hyphens, spaces and full-width digits,
    # which `clean_corporate_number` takes out before checking.
    corporate_number = forms.CharField(
        label=Vendor._meta.get_field("corporate_number").verbose_name,
        max_length=40,
        required=False,
        help_text=_(
            "13 digits, as on the National Tax Agency's corporate number site "
            "(full-width digits and hyphens are fine)."
        ),
    )

    class Meta:
        model = Vendor
        fields = list(registry.VENDOR_FIELDS)  # the history records the same fields
        help_texts = {
            "industries": _("The industries it serves, separated by commas."),
            "locations": _("Where it does the work (cities, prefectures, offshore sites)."),
            "track_record": _("Clients, years in the business, comparable engagements."),
            "contacts": _("Who to talk to: name, department, e-mail, telephone."),
        }
        widgets = {
            "track_record": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form has the token
        self.helper.layout = Layout(
            "seen",
            Div(
                Div("name", css_class="col-md-8"),
                Div("corporate_number", css_class="col-md-4"),
                css_class="row",
            ),
            "services",
            Div(
                Div("industries", css_class="col-md-6"),
                Div("locations", css_class="col-md-6"),
                css_class="row",
            ),
            "track_record",
            "contacts",
            "notes",
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        taken = Vendor.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(
                _("“%(name)s” is already in the registry. Edit that vendor instead."),
                code="unique",
                params={"name": taken.name},
            )
        return name

    def clean_corporate_number(self) -> str:
        """The 法人番号 as 13 half-width digits, its check digit verified; "" when left empty."""
        number = corporate_number.normalised(self.cleaned_data.get("corporate_number", ""))
        if not number:
            return ""
        if not (number.isascii() and number.isdigit()):
            raise forms.ValidationError(
                _("Corporate number (法人番号): only digits, please (got “%(value)s”)."),
                code="invalid_corporate_number",
                params={"value": number},
            )
        if len(number) != 13:
            raise forms.ValidationError(
                _("Corporate number (法人番号): it has 13 digits, not %(count)s."),
                code="invalid_corporate_number",
                params={"count": len(number)},
            )
        if not corporate_number.is_valid(number):
            raise forms.ValidationError(
                _(
                    "Corporate number (法人番号): the check digit (the first digit) does not "
                    "match the other twelve. Check the number against the National Tax "
                    "Agency's site."
                ),
                code="invalid_corporate_number",
            )
        taken = Vendor.objects.filter(corporate_number=number).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(
                _("Corporate number (法人番号): already registered for “%(name)s”."),
                code="unique_corporate_number",
                params={"name": taken.name},
            )
        return number


# 労働者派遣事業の許可番号: 派, the prefecture's two-digit code, a hyphen, six digits.
DISPATCH_NUMBER = re.compile(r"派(0[1-9]|[1-3][0-9]|4[0-7])-[0-9]{6}")


class CertificationForm(MarksInvalid, forms.ModelForm):
    """A certification or a licence of the vendor. A licence needs its number; a dispatch
    licence's is checked for the 許可番号's form (派13-123456)."""

    class Meta:
        model = Certification
        fields = ["kind", "number", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "kind": {
                "invalid_choice": _(
                    "Certification or licence: “%(value)s” is not one the registry knows; "
                    "choose one from the list."
                )
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Choose the kind")), *[c for c in kind.choices if c[0] != ""]]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind not in LICENCE_KINDS or data.get("DELETE"):
            return data
        number = unicodedata.normalize("NFKC", data.get("number") or "").strip()
        if not number:
            self.add_error(
                "number",
                _(
                    "Number: a licence or registration is recorded with its number "
                    "(許可番号 or 登録番号)."
                ),
            )
        elif kind == CertificationKind.DISPATCH:
            number = re.sub(r"\s+", "", number).replace("ー", "-").replace("−", "-")
            if not DISPATCH_NUMBER.fullmatch(number):
                self.add_error(
                    "number",
                    _(
                        "Number: a worker dispatching licence number reads like 派13-123456 "
                        "(派, the prefecture's code, six digits)."
                    ),
                )
            else:
                data["number"] = number
        else:
            data["number"] = number
        return data


CertificationFormSet = forms.inlineformset_factory(
    Vendor, Certification, form=CertificationForm, extra=2, can_delete=True
)


class SecurityCheckForm(MarksInvalid, forms.Form):
    """The five items of the security check, always all five: a status and a note each. An item
    never checked shows as “Not checked”."""

    def __init__(self, *args: Any, vendor: Vendor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {check.item: check for check in vendor.security_checks.all()} if vendor.pk else {}
        for item, label in SecurityItem.choices:
            check = current.get(item)
            self.fields[f"{item}-status"] = forms.ChoiceField(
                label=_("%(item)s: status") % {"item": label},
                choices=SecurityStatus.choices,
                initial=check.status if check else SecurityStatus.UNKNOWN,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"{item}-note"] = forms.CharField(
                label=_("%(item)s: note") % {"item": label},
                max_length=SecurityCheck._meta.get_field("note").max_length,
                required=False,
                initial=check.note if check else "",
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(item label, status field, note field) of each item, in the check's order."""
        return [
            (str(label), self[f"{item}-status"], self[f"{item}-note"])
            for item, label in SecurityItem.choices
        ]

    def save(self, vendor: Vendor) -> None:
        for item in SecurityItem.values:
            SecurityCheck.objects.update_or_create(
                vendor=vendor,
                item=item,
                defaults={
                    "status": self.cleaned_data[f"{item}-status"],
                    "note": self.cleaned_data[f"{item}-note"],
                },
            )


# --- the vendor selection of a package -----------------------------------------------------------


class InviteForm(forms.Form):
    """Invite a registry vendor that is not yet invited to the package."""

    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none(), label=_("Vendor"))

    def __init__(self, vendors: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors


# An outcome-based quote's own range of outcomes a year.
RANGE_FIELDS = ("annual_volume_low", "annual_volume_high")


class QuoteForm(MarksInvalid, StampedModelForm):
    class Meta:
        model = Bid
        fields = [
            "pricing_model",
            "initial_fee",
            "monthly_fee",
            "unit_price",
            "annual_volume",
            "annual_volume_low",
            "annual_volume_high",
            "quote_note",
        ]
        widgets = {"quote_note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "annual_volume_low": _("Outcome-based only, optional: the fewest outcomes a year."),
            "annual_volume_high": _("Outcome-based only, optional: the most outcomes a year."),
        }

    def __init__(
        self,
        *args: Any,
        staffing: bool = False,
        hours: Decimal | None = None,
        **kwargs: Any,
    ) -> None:
        """`staffing`: the bid is for a staffing package (dispatch), quoted by the hour: the
        unit price is the hourly rate and the annual volume the hours, which default to the
        package's hours by the inventory (`hours`)."""
        super().__init__(*args, **kwargs)
        self.staffing = staffing
        self.fields["pricing_model"].required = True
        for name in RANGE_FIELDS if staffing else ():  # hourly quotes have no range
            del self.fields[name]
        for name in ("initial_fee", "monthly_fee", "unit_price", "annual_volume", *RANGE_FIELDS):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"min": "0", "inputmode": "decimal"})
        pricing = self.fields["pricing_model"]
        if staffing:
            pricing.choices = [(PricingModel.HOURLY.value, PricingModel.HOURLY.label)]
            self.initial["pricing_model"] = PricingModel.HOURLY.value
            self.fields["unit_price"].label = _("Hourly rate (yen)")
            self.fields["annual_volume"].label = _("Hours a year")
            if self.initial.get("annual_volume") is None and hours is not None:
                self.initial["annual_volume"] = hours.quantize(Decimal("0.01"))
        else:  # an hourly rate is a staffing package's quote, never outsourcing's
            pricing.choices = [
                choice for choice in pricing.choices if choice[0] != PricingModel.HOURLY.value
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.staffing:
            return self._clean_hourly(data)
        if data.get("unit_price") and data.get("annual_volume") is None:
            self.add_error("annual_volume", _("A unit price needs the annual volume."))
        if data.get("monthly_fee") is None and data.get("unit_price") is None:
            raise forms.ValidationError(_("Enter a monthly fee, a unit price, or both."))
        self._clean_range(data)
        return data

    def _clean_range(self, data: dict[str, Any]) -> None:
        """An outcome-based quote's range of outcomes a year (SPEC 4.5): both ends or neither,
        lowest ≤ annual volume ≤ highest. Other pricing models have none."""
        low, high = data.get("annual_volume_low"), data.get("annual_volume_high")
        if low is None and high is None:
            return
        volume = data.get("annual_volume")
        if data.get("pricing_model") != PricingModel.OUTCOME:
            name = "annual_volume_low" if low is not None else "annual_volume_high"
            self.add_error(
                name,
                _(
                    "Lowest and highest annual volume: only an outcome-based quote has a range; "
                    "clear them or choose outcome-based."
                ),
            )
        elif low is None or high is None:
            self.add_error(
                "annual_volume_low" if low is None else "annual_volume_high",
                _("Lowest and highest annual volume: give both, or neither."),
            )
        elif volume is None:
            self.add_error(
                "annual_volume", _("Annual volume: a range needs the usual annual volume too.")
            )
        elif low > volume:
            self.add_error(
                "annual_volume_low",
                _("Lowest annual volume: at most the annual volume (%(volume)s).")
                % {"volume": format(volume.normalize(), ",f")},
            )
        elif high < volume:
            self.add_error(
                "annual_volume_high",
                _("Highest annual volume: at least the annual volume (%(volume)s).")
                % {"volume": format(volume.normalize(), ",f")},
            )

    def _clean_hourly(self, data: dict[str, Any]) -> dict[str, Any]:
        """A staffing package's quote: an hourly rate for the hours a year, nothing else."""
        if data.get("unit_price") is None:
            self.add_error(
                "unit_price",
                _("Hourly rate: a staffing package is quoted by the hour; enter the rate in yen."),
            )
        if data.get("annual_volume") is None:
            self.add_error(
                "annual_volume", _("Hours a year: enter the hours the hourly rate applies to.")
            )
        return data


SCORE_CHOICES = [(score, str(score)) for score in range(LOWEST_SCORE, HIGHEST_SCORE + 1)]


class ScoreForm(forms.Form):
    """One evaluator's 1–5 score and comment on each criterion, and a general comment. A draft
    may leave scores out; submitting needs them all."""

    general = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, submit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submit = submit
        for key, label in VendorCriterion.choices:
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("A score is a whole number from 1 to 5, not %(value)s.")
                },
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    @staticmethod
    def initial_from(scores: dict[str, int], comments: dict[str, str]) -> dict[str, Any]:
        initial: dict[str, Any] = {"general": comments.get("general", "")}
        for key in VendorCriterion.values:
            initial[f"score_{key}"] = scores.get(key)
            initial[f"comment_{key}"] = comments.get(key, "")
        return initial

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (key, self[f"score_{key}"], self[f"comment_{key}"]) for key in VendorCriterion.values
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.submit:
            for key in VendorCriterion.values:
                if data.get(f"score_{key}") is None and f"score_{key}" not in self.errors:
                    self.add_error(f"score_{key}", _("Score every criterion before submitting."))
        return data

    def scores(self) -> dict[str, int | None]:
        return {key: self.cleaned_data[f"score_{key}"] for key in VendorCriterion.values}

    def comments(self) -> dict[str, str]:
        comments = {key: self.cleaned_data[f"comment_{key}"] for key in VendorCriterion.values}
        return {**comments, "general": self.cleaned_data["general"]}


def _bounded(label: Any, top: int, message: Any, **kwargs: Any) -> forms.IntegerField:
    """A whole number from 0 to `top` whose every error names the field (`message`)."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=top,
        error_messages={key: message for key in ("required", "invalid", "min_value", "max_value")},
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm terms-input"}),
        **kwargs,
    )


class PackageTermsForm(MarksInvalid, forms.Form):
    """The consultant's terms of a package's decision (SPEC 4.5, 4.6), stamped with the terms
    as read (`Package.terms_stamp`). The parallel run left blank is the model's default, which
    the field shows as its placeholder."""

    seen = StampField()
    price_weight = _bounded(
        _("Price weight (%)"),
        100,
        _("Price weight: a whole number of per cent from 0 to 100."),
        help_text=_("How much price counts in the combined score; quality counts for the rest."),
    )
    parallel_months = _bounded(
        _("Parallel run (months)"),
        24,
        _("Parallel run: a whole number of months from 0 to 24, or blank for the default."),
        required=False,
        help_text=_("Months the in-house cost is still paid while the vendor starts."),
    )
    released_share = _bounded(
        _("FTE released (%)"),
        100,
        _("FTE released: a whole number of per cent from 0 to 100."),
        help_text=_(
            "The share of the package's FTE redeployed or not replaced: only that part of the "
            "in-house cost is saved."
        ),
    )

    def __init__(self, *args: Any, default_months: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parallel_months"].widget.attrs["placeholder"] = ngettext(
            "Default: %(months)s month", "Default: %(months)s months", default_months
        ) % {"months": default_months}

    @classmethod
    def of(cls, package: Package, data: Any = None) -> PackageTermsForm:
        """The form of the package's terms as stored, bound to `data` when posted."""
        initial = {"seen": package.terms_stamp}
        initial |= {name: getattr(package, name) for name in Package.TERMS_FIELDS}
        default = horizon.default_parallel_months(package.model)
        return cls(data, initial=initial, default_months=default)

    def terms(self) -> tuple[int, int | None, int]:
        data = self.cleaned_data
        return data["price_weight"], data["parallel_months"], data["released_share"]


class OverheadForm(forms.Form):
    """The management overhead in percent, stored as a rate."""

    percent = forms.DecimalField(
        label=_("Management overhead (percent of the quote)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
    )

    def rate(self) -> Decimal:
        return self.cleaned_data["percent"] / 100


class EvaluationUploadForm(FileUploadForm):
    """The evaluation file (SPEC 6.3), read by content like the inventory's; an evaluation file
    replaces what its rows name, nothing else."""

    file = forms.FileField(
        label=_("Evaluation file"),
        help_text=_(".xlsx, .xls, .ods or CSV (UTF-8 or Shift_JIS), Japanese or English headers."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("upload", _("Check and import")))
