"""The vendor's form behind its link (SPEC 4.6): its contact person, its quote, the five-item
security check, the 告示37号 statements (outsourcing only) and its certifications and licences.

The quote and the certifications follow the consultant's rules (vendors/web/forms.py:
`QuoteForm`, `CertificationForm`). A draft may leave anything out but what it holds must be
well formed; submitting needs every required part. No field names a bid, a package or a vendor:
what the answers belong to comes from the link."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.domain import independence
from outsourcing_advisor.common.wording import plain_number
from vendors.models import (
    Bid,
    CertificationKind,
    PricingModel,
    SecurityCheck,
    SecurityItem,
    SecurityStatus,
)
from vendors.services.portal import Answers
from vendors.web.forms import CertificationForm, MarksInvalid, QuoteForm

# The quote's fields as the consultant's quote form has them (a staffing package: the hourly
# ones only).
QUOTE_FIELDS = (
    "pricing_model",
    "initial_fee",
    "monthly_fee",
    "unit_price",
    "annual_volume",
    "annual_volume_low",
    "annual_volume_high",
    "quote_note",
)
HOURLY_FIELDS = ("pricing_model", "unit_price", "annual_volume", "quote_note")
MAX_CERTIFICATIONS = 20

# What each item of the security check asks of the vendor (the RFP's security requirements).
SECURITY_QUESTIONS = {
    SecurityItem.CERTIFICATIONS: gettext_lazy(
        "Your information-security certifications (ISMS / ISO 27001, Privacy Mark) cover the "
        "people and the sites that would do this work."
    ),
    SecurityItem.ACCESS_CONTROL: gettext_lazy(
        "Access to the client's data is limited to named people, each with their own account, "
        "and withdrawn when they leave the work."
    ),
    SecurityItem.AUDIT_LOGS: gettext_lazy(
        "Access and operation logs are kept and can be shown to the client for an audit."
    ),
    SecurityItem.RESUBCONTRACTING: gettext_lazy(
        "No part of the work is re-subcontracted without the client's written consent; a "
        "subcontractor is bound by the same measures."
    ),
    SecurityItem.INCIDENT_RESPONSE: gettext_lazy(
        "Incidents are reported to the client within 24 hours, with the cause and the measures "
        "taken."
    ),
}
# The answers a vendor gives ("not checked" is the consultant's state of an item, not an answer).
SECURITY_ANSWERS = [
    (status, label) for status, label in SecurityStatus.choices if status != SecurityStatus.UNKNOWN
]

# The 告示37号 statements as the vendor answers them about itself (the consultant's wording in
# assessments/domain/independence.py speaks of "the vendor" and "your staff").
STATEMENTS = {
    "instructs": gettext_lazy(
        "Your company itself instructs its workers on how to do the work and evaluates it; the "
        "client's staff do not direct them."
    ),
    "manages_hours": gettext_lazy(
        "Your company sets and manages its workers' working hours, attendance, overtime and "
        "evaluation."
    ),
    "keeps_order": gettext_lazy(
        "Your company keeps its own order and discipline: it decides who works on the contract "
        "and sets its workers' rules of conduct."
    ),
    "own_funds": gettext_lazy(
        "Your company raises and pays all the funds the work needs on its own responsibility."
    ),
    "own_responsibility": gettext_lazy(
        "Your company takes responsibility for the work under its own contract, as the employer "
        "and as the party liable for defects and damage."
    ),
    "own_means": gettext_lazy(
        "Your company works with machinery, equipment or materials it provides at its own "
        "responsibility and cost, or uses the client's under a separate contract (for example a "
        "lease)."
    ),
    "more_than_labour": gettext_lazy(
        "Your company does the work on its own planning or its own expertise and experience, "
        "not just by supplying people."
    ),
    "off_site": gettext_lazy(
        "The work is done at your company's own premises (your workers are not stationed at "
        "the client's, 常駐)."
    ),
}
ANSWER_CHOICES = [
    (independence.YES, pgettext_lazy("answer", "Yes")),
    (independence.NO, pgettext_lazy("answer", "No")),
]
PHONE = re.compile(r"[0-9+()\- ]*")


class ContactForm(MarksInvalid, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=30, required=False)

    def __init__(self, *args: Any, submit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Name and e-mail: whom the consultant asks about the answers.
        for name in ("name", "email"):
            self.fields[name].required = submit
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean_phone(self) -> str:
        phone = unicodedata.normalize("NFKC", self.cleaned_data.get("phone", "")).strip()
        phone = phone.replace("ー", "-").replace("−", "-")
        if not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Telephone: digits, spaces, +, - and brackets only (got “%(value)s”).")
                % {"value": phone}
            )
        return phone

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("name", "email", "phone")}


class PortalQuoteForm(QuoteForm):
    """The consultant's quote form, its rules applied when the vendor submits; a draft may leave
    the quote incomplete. A staffing package's vendor quotes the hourly rate and the hours only.
    Never saved as a model: `answers` gives the JSON the submission keeps."""

    def __init__(self, *args: Any, submit: bool = False, **kwargs: Any) -> None:
        # A bid of its own, never saved: the form only validates (the link's bid stays as is).
        kwargs["instance"] = Bid()
        super().__init__(*args, **kwargs)
        self.submit = submit
        del self.fields["seen"]  # nothing to stamp: the submission refuses a change once sent
        if self.staffing:
            del self.fields["initial_fee"], self.fields["monthly_fee"]
        self.fields["pricing_model"].required = submit
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if select else "form-control")

    def clean(self) -> dict[str, Any]:
        if self.submit:
            return super().clean()
        super(QuoteForm, self).clean()  # a draft: well-formed amounts are enough
        return self.cleaned_data

    def answers(self) -> dict[str, Any]:
        return {
            name: plain_number(value) if isinstance(value, Decimal) else value
            for name, value in self.cleaned_data.items()
            if name in QUOTE_FIELDS
        }

    @staticmethod
    def initial_from(quote: dict[str, Any]) -> dict[str, Any]:
        return {name: quote.get(name) for name in QUOTE_FIELDS if quote.get(name) is not None}


class SecurityAnswersForm(MarksInvalid, forms.Form):
    """The five items of the security check: an answer and a note each. Submitting needs every
    answer, and a note where an item is only partly met or not met (what is missing)."""

    def __init__(self, *args: Any, submit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submit = submit
        for item, label in SecurityItem.choices:
            self.fields[f"{item}-status"] = forms.ChoiceField(
                label=label,
                choices=[("", _("Choose")), *SECURITY_ANSWERS],
                required=submit,
                help_text=SECURITY_QUESTIONS[SecurityItem(item)],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"{item}-note"] = forms.CharField(
                label=_("%(item)s: note") % {"item": label},
                max_length=SecurityCheck._meta.get_field("note").max_length,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for item in SecurityItem.values if self.submit else ():
            status = data.get(f"{item}-status")
            if (
                status in (SecurityStatus.PARTLY, SecurityStatus.NOT_MET)
                and not (data.get(f"{item}-note") or "").strip()
            ):
                self.add_error(
                    f"{item}-note",
                    _("Say in the note what is missing, and what you would do about it."),
                )
        return data

    def summary_label(self, name: str) -> str:
        """An item's status and note are named by the item."""
        return str(dict(SecurityItem.choices)[name.rsplit("-", 1)[0]])

    def rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        """(item label, its question, answer field, note field), in the check's order."""
        return [
            (
                str(label),
                str(SECURITY_QUESTIONS[SecurityItem(item)]),
                self[f"{item}-status"],
                self[f"{item}-note"],
            )
            for item, label in SecurityItem.choices
        ]

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            item: {
                "status": self.cleaned_data[f"{item}-status"],
                "note": self.cleaned_data[f"{item}-note"],
            }
            for item in SecurityItem.values
        }

    @staticmethod
    def initial_from(security: dict[str, Any]) -> dict[str, str]:
        initial = {}
        for item in SecurityItem.values:
            given = security.get(item) or {}
            initial[f"{item}-status"] = given.get("status", "")
            initial[f"{item}-note"] = given.get("note", "")
        return initial


class StatementsForm(MarksInvalid, forms.Form):
    """The 告示37号 statements, yes or no each; submitting needs every one answered."""

    def __init__(self, *args: Any, submit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in independence.ITEMS:
            self.fields[item.key] = forms.ChoiceField(
                label=STATEMENTS[item.key],
                choices=ANSWER_CHOICES,
                required=submit,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Answer yes or no.")},
            )

    def summary_label(self, name: str) -> str:
        """A statement is named by its number: its text is a sentence."""
        return _("Statement %(number)s") % {"number": independence.KEYS.index(name) + 1}

    def answers(self) -> dict[str, str]:
        return independence.cleaned(self.cleaned_data)


class PortalCertificationForm(CertificationForm):
    """A certification or licence row; a row cleared is left out (removed), and a draft may
    leave a licence's number for later."""

    def __init__(self, *args: Any, submit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submit = submit

    def blank(self) -> bool:
        return self.is_bound and not any(
            str(self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields
        )

    def full_clean(self) -> None:
        if self.blank():
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        if not self.submit and not (self.cleaned_data.get("number") or "").strip():
            super(CertificationForm, self).clean()  # a draft may wait for a licence's number
            return self.cleaned_data
        return super().clean()

    def answer(self) -> dict[str, Any]:
        expires = self.cleaned_data.get("expires_on")
        return {
            "kind": self.cleaned_data["kind"],
            "number": (self.cleaned_data.get("number") or "").strip(),
            "expires_on": expires.isoformat() if expires else None,
        }


CertificationRows = forms.formset_factory(
    PortalCertificationForm, extra=2, max_num=MAX_CERTIFICATIONS, validate_max=True
)


def _certification_initial(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    initial = []
    for row in rows:
        expires = row.get("expires_on")
        initial.append(
            {
                "kind": row.get("kind", ""),
                "number": row.get("number", ""),
                "expires_on": datetime.date.fromisoformat(expires) if expires else None,
            }
        )
    return initial


class VendorAnswers:
    """The vendor's whole form: its parts bound together to a post (`data`) or showing what was
    saved (`saved`). `submit`: the rules of a submission, else a draft's."""

    def __init__(
        self,
        data: Any = None,
        *,
        saved: Answers | None = None,
        staffing: bool,
        hours: Decimal | None = None,
        submit: bool = False,
    ) -> None:
        saved = saved or Answers()
        self.staffing = staffing
        self.contact = ContactForm(data, prefix="contact", initial=saved.contact, submit=submit)
        self.quote = PortalQuoteForm(
            data,
            prefix="quote",
            initial=PortalQuoteForm.initial_from(saved.quote),
            staffing=staffing,
            hours=hours,
            submit=submit,
        )
        self.security = SecurityAnswersForm(
            data,
            prefix="security",
            initial=SecurityAnswersForm.initial_from(saved.security),
            submit=submit,
        )
        # A staffing package has no 告示37号 statements: under dispatch the client directs.
        self.statements = (
            None
            if staffing
            else StatementsForm(data, prefix="statements", initial=saved.statements, submit=submit)
        )
        self.certifications: BaseFormSet = CertificationRows(
            data,
            prefix="certifications",
            initial=_certification_initial(saved.certifications),
            form_kwargs={"submit": submit},
        )

    def context(self) -> dict[str, Any]:
        """The parts as the page's template names them."""
        return {
            "contact_form": self.contact,
            "quote_form": self.quote,
            "security_form": self.security,
            "statements_form": self.statements,
            "certification_rows": self.certifications,
        }

    def _forms(self) -> list[tuple[str, forms.BaseForm]]:
        parts: list[tuple[str, forms.BaseForm | None]] = [
            (_("Contact person"), self.contact),
            (_("Quote"), self.quote),
            (_("Security check"), self.security),
            (_("告示37号 statements"), self.statements),
        ]
        return [(section, form) for section, form in parts if form is not None]

    def is_valid(self) -> bool:
        valid = [form.is_valid() for _section, form in self._forms()]
        return all(valid) and self.certifications.is_valid()

    def problems(self) -> list[Problem]:
        """After is_valid(): every error with the part and the field it is about, in the
        page's order."""
        found = []
        for section, form in self._forms():
            found += _problems(section, form)
        section = _("Certifications and licences")
        for number, row in enumerate(self.certifications.forms, start=1):
            found += _problems(
                _("%(section)s, row %(number)s") % {"section": section, "number": number}, row
            )
        found += [Problem(section, "", str(e)) for e in self.certifications.non_form_errors()]
        return found

    def answers(self) -> Answers:
        """After is_valid(): the answers in the JSON the submission keeps."""
        rows = [row.answer() for row in self.certifications.forms if row.cleaned_data.get("kind")]
        return Answers(
            contact=self.contact.answers(),
            quote=self.quote.answers(),
            security=self.security.answers(),
            statements=self.statements.answers() if self.statements else {},
            certifications=rows,
        )


@dataclass(frozen=True)
class Problem:
    section: str  # the part of the form
    field_id: str  # the input's id, "" for an error of the part as a whole
    message: str  # naming the field


def _problems(section: str, form: forms.BaseForm) -> list[Problem]:
    found = [Problem(section, "", str(error)) for error in form.non_field_errors()]
    summary_label = getattr(form, "summary_label", None)
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        label = summary_label(name) if summary_label else str(bound.label)
        # A group of radios has no one input to point at: its row carries the field's id.
        where = bound.id_for_label or bound.auto_id
        found += [Problem(section, where, named(label, str(e))) for e in errors]
    return found


def named(label: str, message: str) -> str:
    """The message, led by its field's name unless it names the field itself ("Hourly rate:
    …" under "Hourly rate (yen)")."""
    stem = re.split(r"\s*[(（]", label, maxsplit=1)[0].strip()
    if stem and message.casefold().startswith(stem.casefold()):
        return message
    return _("%(field)s: %(message)s") % {"field": label, "message": message}


# --- the answers as the read-only pages show them ------------------------------------------------

AMOUNTS = frozenset({"initial_fee", "monthly_fee", "unit_price"})


@dataclass(frozen=True)
class Line:
    label: str
    value: Any  # "" or None: not given
    kind: str = "text"  # "yen" or "number": the template formats it
    note: str = ""  # a security item's note; a certification's expiry


def readable(answers: Answers, *, staffing: bool) -> dict[str, list[Line]]:
    """Each part of the answers as labelled lines, in the form's order and with its labels."""
    contact = ContactForm()
    quote = PortalQuoteForm(staffing=staffing)
    pricing = dict(PricingModel.choices)
    quote_lines = []
    for name in quote.fields:
        value = answers.quote.get(name)
        if name == "pricing_model":
            value = pricing.get(value or "", value)
        kind = "yen" if name in AMOUNTS else "number" if name.startswith("annual") else "text"
        quote_lines.append(Line(str(quote.fields[name].label), value, kind))
    statuses = dict(SecurityStatus.choices)
    security = []
    for item, label in SecurityItem.choices:
        given = answers.security.get(item) or {}
        status = given.get("status", "")
        security.append(Line(str(label), statuses.get(status, ""), note=given.get("note", "")))
    yes_no = dict(ANSWER_CHOICES)
    kinds = dict(CertificationKind.choices)
    return {
        "contact": [
            Line(str(contact.fields[n].label), answers.contact.get(n, "")) for n in contact.fields
        ],
        "quote": quote_lines,
        "security": security,
        "statements": [
            Line(str(STATEMENTS[key]), str(yes_no.get(answers.statements.get(key, ""), "")))
            for key in ([] if staffing else independence.KEYS)
        ],
        "certifications": [
            Line(
                str(kinds.get(row.get("kind", ""), row.get("kind", ""))),
                row.get("number", ""),
                note=row.get("expires_on") or "",
            )
            for row in answers.certifications
        ],
    }
