"""The forms of an organisation's members page and of the join page (issue 18): inviting by
link, changing a role, and the account a visitor creates to join."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.accounts.models import Role
from outsourcing_advisor.members import services as members

# What each role may do, beside its name where a role is chosen.
ROLE_HELP = {
    Role.MANAGER: _("Everything a consultant does, and manages the members and invitations."),
    Role.CONSULTANT: _("Enters and changes the inventory, the check, packages, quotes and scores."),
    Role.VIEWER: _("Reads the assessments and downloads the reports; changes nothing."),
}

# Worded when shown, in the reader's language.
DAYS = lazy(
    lambda: gettext("Valid for: a whole number of days from 1 to %(most)s.")
    % {"most": members.MAX_DAYS},
    str,
)()


class InviteForm(forms.Form):
    """A new invitation: the role it gives, whom it is for (optional; where it is mailed when a
    mail server is set) and how long it works."""

    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.VIEWER, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("E-mail: not an address (name@example.co.jp).")},
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=members.MAX_DAYS,
        initial=members.DEFAULT_DAYS,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), DAYS),
    )

    def __init__(self, *args: Any, mail: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mail = mail

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.mailing and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("E-mail: give the address to send the invitation to."))
        return data

    @property
    def mailing(self) -> bool:
        """Whether the manager asked for the link to be mailed (the form's second button)."""
        return self.mail and self.data.get("action") == "mail"

    def role_options(self) -> list[tuple[str, str, str]]:
        """(value, label, what the role may do) of each role, for the radio buttons."""
        return [(value, str(label), str(ROLE_HELP[Role(value)])) for value, label in Role.choices]


class RoleForm(forms.Form):
    """A member's new role (the members page writes its select by hand, one per member)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class JoinForm(UserCreationForm):
    """The account a visitor without one creates to join: a user name to sign in with, the name
    colleagues see, an optional e-mail and a password Django's validators accept."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "last_name", "first_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {"last_name": _("Family name"), "first_name": _("Given name")}
        for name, label in names.items():
            self.fields[name].label = label
            self.fields[name].required = True
        self.fields["email"].label = _("E-mail (optional)")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
