"""The history in the admin: read only, and the helpers the other admin pages use to record
their changes (the versions of criteria and rules) and to show or link an object's events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.history.record import Change, event, field_changes, record_many

EVENT_FIELDS = (
    "at",
    "actor",
    "actor_name",
    "action",
    "subject_type",
    "subject_id",
    "subject_repr",
    "organisation",
    "assessment",
    "changes_shown",
    "details",
)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "subject_type", "subject_repr", "assessment"]
    list_filter = ["action", "subject_type", "organisation"]
    search_fields = ["subject_repr", "actor_name"]
    list_select_related = ["assessment"]
    date_hierarchy = "at"
    fields = readonly_fields = EVENT_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("changes"))
    def changes_shown(self, obj: Event) -> SafeString:
        row = display.rows([obj], viewer=obj.actor_id)[0]
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}: {} → {}</li>", ((x.label, x.old, x.new) for x in row.lines)
            ),
        )


def events_link(subject_types: Iterable[str], subject_id: int | None) -> SafeString:
    """A link to the history admin filtered to one object's events."""
    if subject_id is None:
        return format_html("{}", "—")
    query = urlencode({"subject_type__in": ",".join(subject_types), "subject_id": str(subject_id)})
    url = reverse("admin:history_event_changelist") + "?" + query
    return format_html('<a href="{}">{}</a>', url, gettext("Show this object's history"))


# --- the versions of criteria, rules, weights and readiness items --------------------------------


def form_changes(form: forms.ModelForm) -> list[Change]:
    """What a bound, valid admin form changes on its instance: the fields of the model it
    changed, as they were shown (its initial) and as they are now on the instance."""
    names = {f.name: f for f in form.instance._meta.concrete_fields}
    changed = [name for name in form.changed_data if name in names]
    before = {name: form.initial.get(name) for name in changed}
    after = {name: getattr(form.instance, names[name].attname) for name in changed}
    return field_changes(before, after)


def record_form(
    request: HttpRequest,
    subject_type: SubjectType,
    form: forms.ModelForm,
    *,
    created: bool,
    details: dict[str, Any] | None = None,
) -> None:
    """After the admin saved a form: created, or changed (only when a field changed)."""
    action = Action.CREATED if created else Action.CHANGED
    record_many(
        [
            event(
                request.user,
                subject_type,
                form.instance,
                action,
                changes=form_changes(form),
                details=details,
            )
        ]
    )


def _held(form: forms.ModelForm) -> dict[str, Any]:
    """A row's own values as the form showed them (not its id nor its version)."""
    names = [f.name for f in form.instance._meta.concrete_fields if not f.is_relation]
    return {name: form.initial.get(name) for name in names if name != "id"}


def deleted_rows(
    request: HttpRequest, subject_type: SubjectType, formset: Any, details: dict[str, Any]
) -> list[Event]:
    """Before the formset is saved (deleting forgets the ids): an event per row ticked for
    deletion, with what it held."""
    return [
        event(
            request.user,
            subject_type,
            form.instance,
            Action.DELETED,
            changes=field_changes(_held(form), {}),
            details=details,
        )
        for form in formset.deleted_forms
        if form.instance.pk is not None
    ]


def version_history(
    version_type: SubjectType, row_type: SubjectType, version_pk: int | None
) -> SafeString:
    """A version's events and its rows' (kept with the version's id in their details)."""
    if version_pk is None:
        return format_html("{}", "—")
    events = Event.objects.filter(
        Q(subject_type=version_type, subject_id=version_pk)
        | Q(subject_type=row_type, details__version=version_pk)
    ).select_related("actor")[:100]
    rows = display.rows(events, viewer=None)
    return render_to_string("history/_events.html", {"history": rows})
