"""No lost updates (issue 6): a form carries a hidden stamp of the record's last change as it was
read; a save over a newer change of the record is refused with a message naming what is stored
now, never a silent overwrite.

The rule is deliberately simple: any newer change of the record refuses the save, even when it
touched other fields than the ones this person edited; they see what is stored and save again.

A record not saved yet has no row to lock: its first save locks its parent first (`lock_parent`,
issue 13), so that of two first saves at the same instant the second is refused too."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar, cast

from django import forms
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from outsourcing_advisor.common.wording import listing

M = TypeVar("M", bound=models.Model)


class StampField(forms.CharField):
    """When the page was read (the newest change it showed), to refuse saving over a change made
    by someone else in the meantime."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)


def stamp(moment: datetime.datetime | None) -> str:
    return moment.isoformat() if moment else ""


def seen_moment(seen: str) -> datetime.datetime | None:
    """The moment a stamp names; None for none (or for one that is not a moment)."""
    try:
        moment = datetime.datetime.fromisoformat(seen) if seen else None
    except ValueError:
        return None
    return moment if moment and moment.tzinfo else None


def changed_since(seen: str, moment: datetime.datetime | None) -> bool:
    """Whether what is stored now is newer than what the form was read from."""
    return stamp(moment) != seen


def atomic_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a POST in one transaction, so that `stored_moment` and `stored_moments` lock what they
    read until the save is committed: check and save are then one step, and of two saves at
    the same instant the second waits for the first and is refused. (On SQLite, whose
    transactions here begin IMMEDIATE, the second waits at the start of its transaction.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return wrapper


def locking(rows: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Rows locked until the end of the transaction, when there is one (see `atomic_post`)."""
    if not transaction.get_connection().in_atomic_block:
        return rows
    # Only the rows themselves: a joined nullable relation (who last changed it) cannot be
    # locked, and need not be.
    return rows.select_for_update(of=("self",))


def lock_parent(parent: models.Model) -> None:
    """Lock the row of the record a save hangs from (the assessment of its goals, readiness,
    KPIs, packages and imports; the bid of one's scores) until the transaction ends. A first
    save has no row of its own to lock, so two first saves at the same instant would both pass
    their check and one would overwrite or collide with the other; with the parent locked before
    anything is read, the second waits, then reads what the first saved and is refused. Lock the
    parent before its children, everywhere, so that two changes never wait for each other. Only
    inside a transaction (`atomic_post`, or the view's own atomic block): outside one a lock
    would end at once."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("lock_parent needs a transaction.")
    rows = locking(type(parent)._default_manager.filter(pk=parent.pk).order_by())
    list(rows.values_list("pk", flat=True))


def stored_moment(instance: models.Model) -> datetime.datetime | None:
    """The record's last change as stored now (None for a new record), locking its row."""
    if instance.pk is None:
        return None
    rows = locking(type(instance)._default_manager.filter(pk=instance.pk))
    return rows.values_list("updated_at", flat=True).first()


def stored_moments(model: type[models.Model], pks: list[int]) -> dict[int, datetime.datetime]:
    """`stored_moment` of several records of one model, in one query."""
    rows = locking(model._default_manager.filter(pk__in=pks).order_by("pk"))
    return dict(rows.values_list("pk", "updated_at"))


def posted_stale(post: QueryDict, moment: datetime.datetime | None) -> bool:
    """Whether a posted stamp is older than what is stored now; a post without one is not
    checked (every page with the form sends one)."""
    if "seen" not in post:
        return False
    seen = post["seen"]  # [] for a key without a value: never a stamp, so stale
    return not isinstance(seen, str) or changed_since(seen, moment)


def restamped(post: QueryDict, seen: str, name: str = "seen") -> QueryDict:
    """The user's input again, now stamped with what is stored: saving it once more is a
    deliberate choice to replace the other person's change. `name`: the stamp's field as posted
    (with the form's prefix, if it has one)."""
    data = post.copy()
    data[name] = seen
    return data


def shown(field: forms.Field, value: Any) -> str:
    """A value as the form shows it: the label of a choice, a number without trailing zeros."""
    if value is None or value == "":
        return "—"
    choices = getattr(field, "choices", None)
    if choices:
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def differences(
    form: forms.BaseForm,
    stored: dict[str, Any],
    yours: dict[str, Any],
    labels: dict[str, str] | None = None,
) -> list[str]:
    """“Label: now “stored” (yours: “posted”)” for each field of the form whose stored value is
    not the one posted; `labels` name the fields when their own labels are too long."""
    found = []
    for name, field in form.fields.items():
        if name == "seen" or name not in stored:
            continue
        theirs, mine = shown(field, stored[name]), shown(field, yours.get(name))
        if theirs != mine:
            found.append(
                _("%(label)s: now “%(theirs)s” (yours: “%(yours)s”)")
                % {
                    "label": (labels or {}).get(name, field.label),
                    "theirs": theirs,
                    "yours": mine,
                }
            )
    return found


def conflict_message(what: str, changes: list[str]) -> str:
    """The refusal: who-ever saved first wins until this person decides otherwise."""
    if not changes:
        return _(
            "Someone else saved %(what)s while you were editing it. Nothing was saved: check "
            "it, then save again to keep what is below."
        ) % {"what": what}
    return _(
        "Someone else saved %(what)s while you were editing it: %(changes)s. Nothing was saved: "
        "check it, then save again to keep what is below."
    ) % {"what": what, "changes": listing(changes)}


def stored_values(instance: models.Model, names: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def fresh(instance: M) -> M:
    """The record as stored now."""
    return type(instance)._default_manager.get(pk=instance.pk)


class StampedModelForm(forms.ModelForm):
    """A model form that carries the stamp of its instance's last change (`updated_at`)."""

    seen = StampField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("seen", stamp(getattr(self.instance, "updated_at", None)))

    def is_stale(self) -> bool:
        """After is_valid(): whether the record was changed since the form was read. A new
        record is never stale; nor is a post without any stamp (a script, or a page from before
        stamps): every page with the form sends one."""
        if self.instance.pk is None or self.add_prefix("seen") not in self.data:
            return False
        return changed_since(self.cleaned_data.get("seen", ""), stored_moment(self.instance))

    def refused(self, what: str, **kwargs: Any) -> tuple[Any, StampedModelForm]:
        """After a stale save: the record as stored now, untouched, and the user's input again
        in a form stamped with it, carrying the message that names what is stored now."""
        current = fresh(self.instance)
        # The model's fields only: a form-only helper (the task's monthly hours) is stored as
        # another field.
        names = [name for name in self.fields if name in (self._meta.fields or ())]
        changes = differences(self, stored_values(current, names), self.cleaned_data)
        # Refused only after a POST: the form is bound to request.POST.
        post = cast(QueryDict, self.data)
        data = restamped(post, stamp(current.updated_at), self.add_prefix("seen"))
        kwargs.setdefault("prefix", self.prefix)
        again = type(self)(data, instance=fresh(self.instance), **kwargs)
        again.is_valid()
        again.add_error(None, conflict_message(what, changes))
        return current, again
