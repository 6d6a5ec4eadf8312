"""Django admin, kept for site operations (issue 18): people, organisations, the sign-in lockout,
the background queue, the history. The versions (checklist, decision table, vendor criteria,
readiness checklist) are edited in the administrators' area (/administration/).

Here, in the reader's language: the site's title, and every name the apps give without a
translation. Django's own admin is translated; what is not comes from three places, each named
here with its words (so that `make messages` keeps them in locale/):
- the apps that have no translatable name (django-axes, django-tasks' database backend);
- labels the third-party apps translate with msgids of their own, without Japanese;
- fields of ours that have no label of their own and are named after their column
  ("published at"). Their labels are set at start-up rather than on the models: a label on a
  field is part of its migrations, and these need none (migrations keep the fields' own
  arguments and the models' declared options, not what is set here)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

admin.site.site_header = _("Outsourcing Advisor: site operations")
admin.site.site_title = _("Site operations")
admin.site.index_title = _("Site operations")

# The apps without a translatable name (Django shows their label, "Axes").
APP_NAMES = {
    "axes": _("Sign-in lockout"),
    "django_tasks_database": _("Background queue"),
}

# The third-party apps' own msgids, given Japanese in locale/ (django-axes and django-tasks ship
# none): the models and fields of the sign-in lockout and of the queue's records.
THIRD_PARTY_WORDS = (
    _("access attempt"),
    _("access attempts"),
    _("access failure"),
    _("access failures"),
    _("access log"),
    _("access logs"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("GET Data"),
    _("POST Data"),
    _("Failed Logins"),
    _("Access lock out"),
    _("Access Attempt"),
    _("Expires At"),
    _("The time when access attempt expires and is no longer valid."),
    _("Logout Time"),
    _("Session key hash (sha256)"),
    _("Locked Out"),
    _("Attempt Remaining"),
    _("Not set"),
    _("Form Data"),
    _("Meta Data"),
    _("Clean up expired attempts"),
    _("Task Result"),
    _("Task Results"),
    _("enqueued at"),
    _("started at"),
    _("finished at"),
    _("args kwargs"),
    _("priority"),
    _("task path"),
    _("worker id"),
    _("queue name"),
    _("backend name"),
    _("run after"),
    _("return value"),
    _("exception class path"),
    _("traceback"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)

# Models of ours without a name of their own.
MODEL_NAMES = {
    "accounts.Profile": (_("profile"), _("profiles")),
}

# Fields without a label of their own, by name: what the admin's columns and forms call them.
FIELD_LABELS = {
    "added": _("added"),
    "assessment": _("assessment"),
    "attempts": _("attempts"),
    "author": _("author"),
    "before": _("inventory before the import"),
    "bid": _("bid"),
    "changed": _("changed"),
    "checklist_version": _("checklist version"),
    "computed_at": _("computed at"),
    "created_at": _("created at"),
    "created_by": _("created by"),
    "deleted_at": _("moved to the trash at"),
    "deleted_by": _("moved to the trash by"),
    "detail": _("detail"),
    "evaluator": _("evaluator"),
    "filename": _("file name"),
    "finished_at": _("finished at"),
    "heartbeat_at": _("last heartbeat at"),
    "imported_by": _("imported by"),
    "input": _("input"),
    "invited_at": _("invited at"),
    "kind": _("kind"),
    "model": _("recommended model"),
    "organisation": _("organisation"),
    "output": _("output"),
    "package": _("package"),
    "params": _("parameters"),
    "percent": _("percent done"),
    "position": _("position"),
    "problems": _("problems"),
    "published_at": _("published at"),
    "published_by": _("published by"),
    "removed": _("removed"),
    "replaced": _("replaced"),
    "result": _("result"),
    "rows": _("rows"),
    "rule_version": _("rule table version"),
    "scope_stamp": _("scope stamp"),
    "sha256": _("checksum (SHA-256)"),
    "stage": _("stage"),
    "stamp": _("stamp"),
    "started_at": _("started at"),
    "status": _("status"),
    "suitability": _("suitability"),
    "task": _("task"),
    "task_id": _("queue task id"),
    "trashed_tasks": _("tasks in the trash"),
    "undone_at": _("undone at"),
    "undone_by": _("undone by"),
    "updated_at": _("updated at"),
    "user": _("user"),
    "vendor": _("vendor"),
    "verdict": _("verdict"),
}


def _name_fields(model: type[models.Model]) -> None:
    for field in model._meta.get_fields():
        # `_verbose_name` is the label given to the field; None: named after its column.
        if getattr(field, "_verbose_name", "given") is None and field.name in FIELD_LABELS:
            field.verbose_name = FIELD_LABELS[field.name]  # type: ignore[union-attr]


def _describe(function: Any, description: Any) -> None:
    """The column title of an admin method (or property) that has none of its own."""
    target = function.fget if isinstance(function, property) else function
    target.short_description = description


def translate_admin() -> None:
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for dotted, (singular, plural) in MODEL_NAMES.items():
        options = apps.get_model(dotted)._meta
        options.verbose_name, options.verbose_name_plural = singular, plural
    for model, model_admin in admin.site._registry.items():
        _name_fields(model)
        if model._meta.label == "axes.AccessAttempt":
            _describe(type(model_admin).status, _("status"))
            _describe(type(model_admin).expiration, _("Expires At"))
        if model._meta.label == "django_tasks_database.DBTaskResult":
            _describe(type(model_admin).formatted_traceback, _("traceback"))
            _describe(type(model_admin).display_run_after, _("run after"))
            _describe(model.task_name, _("task"))  # type: ignore[attr-defined]


# Every app's admin module is imported before this one: the operations app is the last one.
translate_admin()

# Django admin's own phrases whose Japanese reads machine-made (「変更する 作業 を選択」): our
# catalogue words them again, and naming them here keeps them in it when `make messages` runs
# (a msgid no source names would be dropped as obsolete).
DJANGO_ADMIN_PHRASES = (
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Select %s"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("%(app)s administration"),
    gettext_noop("Add %(name)s"),
    gettext_noop(" By %(filter_title)s "),
)
