"""One organisation's data as one JSON document, and back (`export_organisation`,
`restore_organisation`).

The document (format version 1)::

    {"format": "outsourcing-advisor/organisation", "format_version": 1,
     "exported_at": "…", "sha256": "<of the canonical `data`>",
     "data": {"users": [...], "versions": {...}, "vendors": [...], "records": {...}}}

- `records`: the organisation's own rows, model by model (`EXPORTED`, in the order they are
  restored), each ``{"id": n, "fields": {...}}``; among them its saved mapping profiles (how
  its kinds of sheet are read, SPEC 4.2.1). Ids are numbered 1, 2, … per model in primary-key
  order, so a file says nothing about the database it came from and exporting a restored
  organisation gives the same document again. A reference to another exported row is its id; to
  a person, the username; to a published version, its number; to a readiness item, [version
  number, code]; to a vendor, its name.
- `users`: everyone the records name (members, and e.g. an evaluator who has since left), with
  username, names, email, whether active, date joined and language; never the password hash nor
  the staff/superuser flags. A restored person has no usable password until an administrator
  sets one (`manage.py changepassword USERNAME`). A username that already exists is reused as is.
- `versions`: the published checklist, rule-table, vendor-criteria and readiness versions the
  records use, with their rows. Restoring reuses a version of the same number whose content is
  the same (as in a database whose migrations published v1) and refuses one whose content
  differs; a missing one is created with its number. Who published it is not exported.
- `vendors`: the registry entries the bids name, with certifications and security checks. A
  vendor of the same name already in the registry is reused as it is (the registry is the site's).
- The history (`history.event`) goes with the organisation, its actors by username. An event
  names its subject by type and id, not by foreign key: the id is written as the exported row's
  id (`EVENT_SUBJECTS`), or left out where the subject is not exported (deleted since): its
  name at the time (`subject_repr`) still says what it was. Site-wide events (criteria, rules)
  belong to no organisation and are not exported.

Not exported: the inventory kept to undo the latest import (it names this database's ids: a
restored organisation's imports cannot be undone), `PendingUpload` (a file waiting for its column
mapping: upload it again), `Job`
(background work in progress or done: its outcome is in the records; start it again), sessions
and the admin log. Restoring is all or nothing and refuses an organisation name that exists.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import steps
from assessments.jobs import Job
from assessments.models import (
    Assessment,
    InventoryImport,
    MappingProfile,
    Override,
    Package,
    PendingUpload,
    Task,
    TaskResult,
)
from assessments.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
    Status,
)
from outsourcing_advisor.accounts.models import Membership, Organisation, Profile
from outsourcing_advisor.history.models import Event, SubjectType
from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor

FORMAT = "outsourcing-advisor/organisation"
FORMAT_VERSION = 1

User = get_user_model()

# The organisation's own rows, in the order they are restored (a row's references come first),
# each with the path from the model to its organisation.
EXPORTED: tuple[tuple[type[models.Model], str], ...] = (
    (Organisation, "pk"),
    (Membership, "organisation"),
    # The organisation's saved ways of reading its sheets (SPEC 4.2.1): its own data, used by
    # later uploads and `assess --mapping NAME`; who saved one is a person, by username.
    (MappingProfile, "organisation"),
    (Assessment, "organisation"),
    (Package, "assessment__organisation"),
    (Task, "assessment__organisation"),
    (TaskResult, "task__assessment__organisation"),
    (Override, "task__assessment__organisation"),
    (InventoryImport, "assessment__organisation"),
    (steps.Goals, "assessment__organisation"),
    (steps.ReadinessEntry, "assessment__organisation"),
    (steps.Kpi, "assessment__organisation"),
    (steps.KpiActual, "kpi__assessment__organisation"),
    (steps.RfpDraft, "package__assessment__organisation"),
    (Bid, "package__assessment__organisation"),
    (Evaluation, "bid__package__assessment__organisation"),
    (Event, "organisation"),  # last: its subjects are the rows above
)
# The model of the exported row each kind of event's `subject_id` names (answers and overrides
# are kept on their task's id).
EVENT_SUBJECTS: dict[str, type[models.Model]] = {
    SubjectType.TASK: Task,
    SubjectType.ANSWERS: Task,
    SubjectType.OVERRIDE: Task,
    SubjectType.PACKAGE: Package,
    SubjectType.QUOTE: Bid,
    SubjectType.SCORE: Evaluation,
    SubjectType.INVENTORY: InventoryImport,
}
# Belong to an organisation but are deliberately left out (see the module's docstring).
SKIPPED: frozenset[type[models.Model]] = frozenset({PendingUpload, Job})

VERSIONS: tuple[type[models.Model], ...] = (
    ChecklistVersion,
    RuleTableVersion,
    EvaluationVersion,
    ReadinessVersion,
)
# Not part of a version's content: when it was made and by whom.
VERSION_UNCOMPARED = frozenset({"created_at", "published_at"})
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "date_joined")


class TransferError(Exception):
    """A file that cannot be restored, or an organisation that cannot be exported; the
    message is for the person running the command."""


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


# The inventory an import keeps to be undone names this database's task, package and user ids:
# it is not exported, and after a restore that import can no longer be undone.
NOT_EXPORTED_FIELDS = frozenset({(InventoryImport, "before")})


def _fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields written to the file: all but the primary key (and those above)."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and (model, f.name) not in NOT_EXPORTED_FIELDS
    ]


# --- values ----------------------------------------------------------------------------------


def _plain(field: models.Field, value: Any) -> Any:
    """A field's value as JSON (microseconds kept; decimals as text)."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise TransferError(
            _("%(field)s holds binary data, which is not exported.") % {"field": field}
        )
    return value


def _python(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


# --- references ------------------------------------------------------------------------------


def reference_kind(target: type[models.Model]) -> str:
    """How a reference to `target` is written: "id" (another exported row), "user", "version",
    "readiness_item" or "vendor". Raises TransferError for a model the format cannot name."""
    if target in {model for model, _path in EXPORTED}:
        return "id"
    if target is User:
        return "user"
    if target in VERSIONS:
        return "version"
    if target is ReadinessItem:
        return "readiness_item"
    if target is Vendor:
        return "vendor"
    raise TransferError(f"The export does not know how to refer to {label(target)}.")


def coverage_problems() -> list[str]:
    """Models whose rows belong to an organisation but are neither exported nor skipped, and
    references the format cannot write. Empty when the export covers the schema."""
    from django.apps import apps

    exported = {model for model, _path in EXPORTED}
    owned = set(exported) | set(SKIPPED)
    changed = True
    while changed:  # every model reaching an organisation through its foreign keys
        changed = False
        for model in apps.get_models():
            if model in owned:
                continue
            if any(f.is_relation and f.related_model in owned for f in model._meta.concrete_fields):
                owned.add(model)
                changed = True
    problems = [
        f"{label(m)} belongs to an organisation but is not in transfer.EXPORTED or SKIPPED"
        for m in sorted(owned - exported - SKIPPED, key=label)
    ]
    for model in exported:
        for f in _fields(model):
            if f.is_relation:
                try:
                    reference_kind(f.related_model)
                except TransferError as error:
                    problems.append(f"{label(model)}.{f.name}: {error}")
    return problems


# --- export ----------------------------------------------------------------------------------


def export(organisation: Organisation) -> dict[str, Any]:
    """The whole document for `organisation`; reads only through it."""
    ids: dict[type[models.Model], dict[int, int]] = {}
    rows: dict[type[models.Model], list[models.Model]] = {}
    for model, path in EXPORTED:
        found = list(model._default_manager.filter(**{path: organisation.pk}).order_by("pk"))
        rows[model] = found
        ids[model] = {obj.pk: n for n, obj in enumerate(found, start=1)}

    user_ids: set[int] = set()
    version_ids: dict[type[models.Model], set[int]] = {v: set() for v in VERSIONS}
    item_ids: set[int] = set()
    vendor_ids: set[int] = set()
    for model, _path in EXPORTED:
        for f in _fields(model):
            if not f.is_relation:
                continue
            kind = reference_kind(f.related_model)
            values = {getattr(obj, f.attname) for obj in rows[model]} - {None}
            if kind == "user":
                user_ids |= values
            elif kind == "version":
                version_ids[f.related_model] |= values
            elif kind == "readiness_item":
                item_ids |= values
            elif kind == "vendor":
                vendor_ids |= values
    items = ReadinessItem.objects.in_bulk(item_ids)
    version_ids[ReadinessVersion] |= {item.version_id for item in items.values()}
    versions = {model: model._default_manager.in_bulk(version_ids[model]) for model in VERSIONS}
    for model, found in versions.items():
        unpublished = [str(v) for v in found.values() if v.number is None]
        if unpublished:
            raise TransferError(
                _("The organisation uses an unpublished %(kind)s: %(versions)s.")
                % {"kind": model._meta.verbose_name, "versions": ", ".join(unpublished)}
            )
    users = User._default_manager.in_bulk(user_ids)
    vendors = Vendor.objects.in_bulk(vendor_ids)

    def reference(f: models.Field, value: Any) -> Any:
        if value is None:
            return None
        kind = reference_kind(f.related_model)
        if kind == "id":
            try:
                return ids[f.related_model][value]
            except KeyError as error:  # never write another organisation's row into the file
                raise TransferError(
                    _("%(field)s refers to a row outside the organisation.") % {"field": f}
                ) from error
        if kind == "user":
            return users[value].get_username()
        if kind == "version":
            return versions[f.related_model][value].number
        if kind == "readiness_item":
            item = items[value]
            return [versions[ReadinessVersion][item.version_id].number, item.code]
        return vendors[value].name

    records = {
        label(model): [
            {
                "id": ids[model][obj.pk],
                "fields": {
                    f.name: reference(f, getattr(obj, f.attname))
                    if f.is_relation
                    else _plain(f, f.value_from_object(obj))
                    for f in _fields(model)
                },
            }
            for obj in rows[model]
        ]
        for model, _path in EXPORTED
    }
    for entry, event in zip(records[label(Event)], rows[Event], strict=True):
        subject = EVENT_SUBJECTS.get(event.subject_type)
        entry["fields"]["subject_id"] = ids[subject].get(event.subject_id) if subject else None
    languages = dict(
        Profile.objects.filter(user__in=users.keys()).values_list("user_id", "language")
    )
    data = {
        "users": [
            {
                **{
                    name: _plain(User._meta.get_field(name), getattr(u, name))
                    for name in USER_FIELDS
                },
                "language": languages.get(u.pk),
            }
            for u in sorted(users.values(), key=lambda u: u.get_username())
        ],
        "versions": {
            label(model): [
                _version_record(v) for v in sorted(found.values(), key=lambda v: v.number)
            ]
            for model, found in versions.items()
        },
        "vendors": [_vendor_record(v) for v in sorted(vendors.values(), key=lambda v: v.name)],
        "records": records,
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "sha256": checksum(data),
        "data": data,
    }


def _row_fields(model: type[models.Model], skip: set[str]) -> list[models.Field]:
    return [f for f in _fields(model) if f.name not in skip]


def _version_fields(model: type[models.Model]) -> list[models.Field]:
    """A version's own fields, without the number (the key) and who published it."""
    return _row_fields(model, {"number", "published_by"})


def _rows_model(version_model: type[models.Model]) -> type[models.Model]:
    return version_model._meta.get_field(version_model.rows_name).related_model


def _version_record(version: models.Model) -> dict[str, Any]:
    rows_model = _rows_model(type(version))
    return {
        "number": version.number,
        "fields": {
            f.name: _plain(f, f.value_from_object(version)) for f in _version_fields(type(version))
        },
        "rows": [
            {
                f.name: _plain(f, f.value_from_object(row))
                for f in _row_fields(rows_model, {"version"})
            }
            for row in getattr(version, version.rows_name).order_by("pk")
        ],
    }


VENDOR_CHILDREN = (("certifications", Certification), ("security_checks", SecurityCheck))


def _vendor_record(vendor: Vendor) -> dict[str, Any]:
    return {
        "fields": {f.name: _plain(f, f.value_from_object(vendor)) for f in _fields(Vendor)},
        **{
            name: [
                {
                    f.name: _plain(f, f.value_from_object(row))
                    for f in _row_fields(model, {"vendor"})
                }
                for row in model.objects.filter(vendor=vendor).order_by("pk")
            ]
            for name, model in VENDOR_CHILDREN
        },
    }


def checksum(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# --- restore ---------------------------------------------------------------------------------


@dataclass
class Restored:
    organisation: Organisation
    counts: dict[str, int] = field(default_factory=dict)
    users_created: list[str] = field(default_factory=list)
    users_reused: list[str] = field(default_factory=list)
    versions_created: list[str] = field(default_factory=list)
    versions_reused: list[str] = field(default_factory=list)
    vendors_created: list[str] = field(default_factory=list)
    vendors_reused: list[str] = field(default_factory=list)


def loads(text: str | bytes) -> dict[str, Any]:
    """The document's `data`, once the envelope is checked: JSON, this format, a version this
    code reads, and an intact checksum."""
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise TransferError(_("The file is not JSON (%(error)s).") % {"error": error}) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(_("The file is not an organisation export of this application."))
    if document.get("format_version") != FORMAT_VERSION:
        raise TransferError(
            _("The file has format version %(found)s; this application reads version %(known)s.")
            % {"found": document.get("format_version"), "known": FORMAT_VERSION}
        )
    data = document.get("data")
    if not isinstance(data, dict) or document.get("sha256") != checksum(data):
        raise TransferError(
            _("The file has been changed or damaged since it was exported (checksum mismatch).")
        )
    return data


def restore(data: dict[str, Any]) -> Restored:
    """Write the document's organisation into this database, all or nothing."""
    try:
        with transaction.atomic():
            return _Restorer(data).run()
    except TransferError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, ValidationError, DatabaseError) as error:
        raise TransferError(
            _("The file cannot be restored; nothing was written (%(error)s: %(detail)s).")
            % {"error": type(error).__name__, "detail": error}
        ) from error


class _Restorer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.ids: dict[type[models.Model], dict[int, int]] = {}
        self.users: dict[str, int] = {}
        self.versions: dict[type[models.Model], dict[int, int]] = {}
        self.items: dict[tuple[int, str], int] = {}
        self.vendors: dict[str, int] = {}
        self.result: Restored | None = None

    def run(self) -> Restored:
        records = self.data["records"]
        unknown = set(records) - {label(model) for model, _path in EXPORTED}
        if unknown:
            raise TransferError(
                _("The file holds records this application does not know: %(models)s.")
                % {"models": ", ".join(sorted(unknown))}
            )
        organisations = records.get(label(Organisation), [])
        if len(organisations) != 1:
            raise TransferError(_("The file must hold exactly one organisation."))
        name = organisations[0]["fields"]["name"]
        if Organisation.objects.filter(name=name).exists():
            raise TransferError(
                _("An organisation named “%(name)s” already exists; nothing was restored.")
                % {"name": name}
            )
        self.result = Restored(organisation=Organisation(name=name))
        self._users()
        self._versions()
        self._vendors()
        for model, _path in EXPORTED:
            self._records(model, records.get(label(model), []))
        self.result.organisation = Organisation.objects.get(pk=self.ids[Organisation][1])
        return self.result

    def _users(self) -> None:
        existing = {
            u.get_username(): u.pk
            for u in User._default_manager.filter(
                username__in=[entry["username"] for entry in self.data["users"]]
            )
        }
        for entry in self.data["users"]:
            username = entry["username"]
            if username in existing:
                self.users[username] = existing[username]
                self.result.users_reused.append(username)
                continue
            user = User(
                **{
                    name: _python(User._meta.get_field(name), entry[name])
                    for name in USER_FIELDS
                    if name in entry
                }
            )
            user.set_unusable_password()
            user.save()
            if entry.get("language"):
                Profile.objects.create(user=user, language=entry["language"])
            self.users[username] = user.pk
            self.result.users_created.append(username)

    def _versions(self) -> None:
        unknown = set(self.data["versions"]) - {label(model) for model in VERSIONS}
        if unknown:
            raise TransferError(
                _("The file holds versions this application does not know: %(models)s.")
                % {"models": ", ".join(sorted(unknown))}
            )
        for model in VERSIONS:
            self.versions[model] = {}
            for entry in self.data["versions"].get(label(model), []):
                self.versions[model][entry["number"]] = self._version(model, entry)
        for item in ReadinessItem.objects.filter(
            version_id__in=self.versions[ReadinessVersion].values()
        ).select_related("version"):
            self.items[(item.version.number, item.code)] = item.pk

    def _version(self, model: type[models.Model], entry: dict[str, Any]) -> int:
        number = entry["number"]
        name = f"{model._meta.verbose_name} v{number}"
        rows_model = _rows_model(model)
        row_fields = _row_fields(rows_model, {"version"})
        fields = {f.name: _python(f, entry["fields"][f.name]) for f in _version_fields(model)}
        rows = [{f.name: _python(f, row[f.name]) for f in row_fields} for row in entry["rows"]]
        if fields.get("status") != Status.PUBLISHED or not isinstance(number, int):
            raise TransferError(_("%(version)s in the file is not published.") % {"version": name})
        present = model._default_manager.filter(number=number).first()
        if present is not None:
            mine = {f.name: f.value_from_object(present) for f in _version_fields(model)}
            my_rows = [
                {f.name: f.value_from_object(row) for f in row_fields}
                for row in getattr(present, model.rows_name).order_by("pk")
            ]
            if _content(mine) != _content(fields) or my_rows != rows:
                raise TransferError(
                    _(
                        "%(version)s exists in this database with different content from the "
                        "file's; nothing was restored."
                    )
                    % {"version": name}
                )
            self.result.versions_reused.append(name)
            return present.pk
        version = model(number=number, **fields)
        _insert(model, [version])
        _insert(rows_model, [rows_model(version=version, **row) for row in rows])
        self.result.versions_created.append(name)
        return version.pk

    def _vendors(self) -> None:
        for entry in self.data["vendors"]:
            name = entry["fields"]["name"]
            present = Vendor.objects.filter(name=name).values_list("pk", flat=True).first()
            if present is not None:
                self.vendors[name] = present
                self.result.vendors_reused.append(name)
                continue
            vendor = Vendor(**_values(Vendor, entry["fields"]))
            _insert(Vendor, [vendor])
            for key, model in VENDOR_CHILDREN:
                _insert(model, [model(vendor=vendor, **_values(model, row)) for row in entry[key]])
            self.vendors[name] = vendor.pk
            self.result.vendors_created.append(name)

    def _reference(self, f: models.Field, value: Any) -> Any:
        if value is None:
            return None
        kind = reference_kind(f.related_model)
        try:
            if kind == "id":
                return self.ids[f.related_model][value]
            if kind == "user":
                return self.users[value]
            if kind == "version":
                return self.versions[f.related_model][value]
            if kind == "readiness_item":
                return self.items[(value[0], value[1])]
            return self.vendors[value]
        except (KeyError, TypeError, IndexError) as error:
            raise TransferError(
                _("%(field)s refers to %(value)s, which the file does not hold.")
                % {"field": f, "value": json.dumps(value, ensure_ascii=False)}
            ) from error

    def _records(self, model: type[models.Model], entries: list[dict[str, Any]]) -> None:
        known = {f.name: f for f in _fields(model)}
        objects = []
        for entry in entries:
            unknown = set(entry["fields"]) - set(known)
            if unknown:
                raise TransferError(
                    _(
                        "%(model)s in the file has fields this application does not know: "
                        "%(fields)s."
                    )
                    % {"model": label(model), "fields": ", ".join(sorted(unknown))}
                )
            values = {}
            for name, value in entry["fields"].items():
                f = known[name]
                if f.is_relation:
                    values[f.attname] = self._reference(f, value)
                else:
                    values[f.attname] = _python(f, value)
            if model is Event:  # the subject's id in this database (see EVENT_SUBJECTS)
                subject = EVENT_SUBJECTS.get(values["subject_type"])
                values["subject_id"] = (
                    self.ids[subject].get(values["subject_id"]) if subject else None
                )
            objects.append(model(**values))
        _insert(model, objects)
        self.ids[model] = {entry["id"]: obj.pk for entry, obj in zip(entries, objects, strict=True)}
        if len(self.ids[model]) != len(entries):
            raise TransferError(_("%(model)s in the file repeats an id.") % {"model": label(model)})
        self.result.counts[label(model)] = len(objects)


def _content(values: dict[str, Any]) -> dict[str, Any]:
    """A version's fields that make its content (not when it was made)."""
    return {k: v for k, v in values.items() if k not in VERSION_UNCOMPARED}


def _values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    known = {f.name: f for f in _fields(model) if not f.is_relation}
    return {name: _python(known[name], value) for name, value in values.items()}


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert the rows as they are, timestamps included (bulk_create would stamp auto_now and
    auto_now_add fields with the present time, so they are written back afterwards)."""
    if not objects:
        return
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    if not connection.features.can_return_rows_from_bulk_insert:
        for obj in objects:
            obj.save_base(raw=True, force_insert=True)
        return
    kept = [[getattr(obj, f.attname) for f in stamped] for obj in objects]
    model._default_manager.bulk_create(objects)
    if stamped:
        for obj, values in zip(objects, kept, strict=True):
            for f, value in zip(stamped, values, strict=True):
                if value is not None:  # a file without the field: now
                    setattr(obj, f.attname, value)
        model._default_manager.bulk_update(objects, [f.name for f in stamped])
