"""The consultant's forms of the vendor links (SPEC 4.6): issuing a link, and reviewing what came
back through it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.common.stamps import StampField
from vendors.services import links

# An address in the registry's free-text contacts ("営業部 佐藤 sato@example.co.jp 03-…").
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def contact_email(contacts: str) -> str:
    """The first e-mail address of a vendor's contacts, "" if it names none."""
    found = EMAIL.search(contacts or "")
    return found.group(0).rstrip(".") if found else ""


# Worded when shown, in the reader's language.
DAYS = lazy(
    lambda: gettext("Valid for: a whole number of days from 1 to %(most)s.")
    % {"most": links.MAX_DAYS},
    str,
)()


def mail_configured() -> bool:
    """Whether invitations can be mailed: a mail server is set (EMAIL_HOST, off by default)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


class LinkForm(forms.Form):
    """Issue (or re-issue) a vendor's link. `seen`: the newest link the page showed, so that a
    link a colleague issued meanwhile is not revoked unseen (nor one issued twice by a reload)."""

    seen = StampField()
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=links.MAX_DAYS,
        initial=links.DEFAULT_DAYS,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), DAYS),
    )
    language = forms.ChoiceField(
        label=_("The vendor's page in"), choices=settings.LANGUAGES, initial="ja"
    )
    email = forms.EmailField(
        label=_("Send it by e-mail to"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("E-mail: not an address (name@example.co.jp).")},
    )

    def __init__(self, *args: Any, mail: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mail = mail
        if not mail:  # no mail server: the link is copied, never mailed
            del self.fields["email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.mailing and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("E-mail: give the address to send the link to."))
        return data

    @property
    def mailing(self) -> bool:
        """Whether the consultant asked for the link to be mailed (the form's second button)."""
        return self.mail and self.data.get("action") == "mail"


class ReviewForm(forms.Form):
    """Accept a vendor's submission, or return it with a comment. Stamped with the submission
    and the bid as the page showed them: a change of either since refuses the decision."""

    seen = StampField()
    seen_bid = StampField()
    comment = forms.CharField(
        label=_("Comment to the vendor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return it: say what to change. The vendor sees it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs["class"] = "form-control"

    @property
    def returning(self) -> bool:
        return self.data.get("action") == "return"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.returning and not (data.get("comment") or "").strip():
            self.add_error(
                "comment", _("Comment: say what the vendor should change before returning it.")
            )
        return data
