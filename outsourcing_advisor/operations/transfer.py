"""One organisation's data as one signed JSON document, and back (`export_organisation`,
`restore_organisation`).

The document (format version 2)::

    {"format": "outsourcing-advisor/organisation", "format_version": 2,
     "exported_at": "…", "data": {"users": [...], "versions": {...}, "vendors": [...],
     "records": {...}}, "signature": "<HMAC-SHA256, hex>"}

- `signature`: HMAC-SHA256 (Django's `salted_hmac`, salt `SIGNING_SALT`) of the canonical JSON
  (keys sorted, no spaces, UTF-8) of every other member of the document, under the setting
  `EXPORT_SIGNING_KEY`, or `SECRET_KEY` when that is empty (a file signed under one of
  `SECRET_KEY_FALLBACKS` is accepted then too). Anyone can recompute a checksum, nobody without
  the key can recompute this: a file edited after its export is refused. A file exported on one
  server restores on another only when both have the same key (set the same
  `EXPORT_SIGNING_KEY` on both rather than sharing `SECRET_KEY`). Format version 1 (a SHA-256
  without a key) is refused: export the organisation again.
- `records`: the organisation's own rows, model by model (`EXPORTED`, in the order they are
  restored), each ``{"id": n, "fields": {...}}``; among them its saved mapping profiles (how
  its kinds of sheet are read, SPEC 4.2.1). Ids are numbered 1, 2, … per model in primary-key
  order, so a file says nothing about the database it came from and exporting a restored
  organisation gives the same document again. A reference to another exported row is its id; to
  a person, the username; to a published version, its number; to a readiness item, [version
  number, code]; to a vendor, its name. A many-to-many field (a package's evaluation panel) is
  written with the row's fields as a sorted list of such references.
- The trash goes with the organisation (issue 18): tasks and packages in it are written like
  the others, with when and by whom they were moved there, a package with the tasks it held
  (`trashed_tasks`, by their ids in the file), and restored into the trash, restorable for
  what is left of their 30 days (`purge_trash` deletes them after that, here as there).
- `users`: everyone the records name (members, and e.g. an evaluator who has since left), with
  username, names, email, whether active, date joined and language; never the password hash nor
  the staff/superuser flags. A restored person has no usable password until an administrator
  sets one (`manage.py changepassword USERNAME`).
- `versions`: the published checklist, rule-table, vendor-criteria and readiness versions the
  records use, with their rows. Who published one is not exported.
- `vendors`: the registry entries the bids name, with certifications and security checks.
- The history (`history.event`) goes with the organisation, its actors by username. An event
  names its subject by type and id, not by foreign key: the id is written as the exported row's
  id (`EVENT_SUBJECTS`), or left out where the subject is not exported (deleted since): its
  name at the time (`subject_repr`) still says what it was. Site-wide events (criteria, rules)
  belong to no organisation and are not exported.

Restoring trusts nothing in the file, signed or not, and is all or nothing: the first problem
refuses the whole file, naming the model, the record's id and the field, and nothing is written.

- Reading: JSON nested deeper than `MAX_DEPTH` levels, a number longer than
  `MAX_NUMBER_DIGITS` digits, NaN or Infinity, or a key twice in one object is refused before
  anything else is looked at.
- Every value goes through its model field's own validation (type, length, choices, bounds: the
  validators the forms and the import use), JSON fields included, and every JSON field's shape is
  checked against what the pages read (`JSON_SHAPES`: a task's answers and their sources, a
  result's detail, a mapping profile's decisions, an RFP's sections, scores and comments, an
  event's changes and details, a vendor's services, a rule's conditions). Only an empty value
  where a form would ask for one is let through (the app's own code writes some: an import read
  from text has no SHA-256). Unique values are checked within the file, and a task or KPI may
  only name a package of its own assessment.
- The organisation must be new (its name unused). Everything restored belongs to it: memberships
  are only ever created in it, never in another organisation, and no existing row is changed.
- People: one whose username is not in the database is created, without a usable password,
  never staff or superuser. One who exists is reused exactly as they are (names, email, flags,
  language and password untouched), and may be named as the author of restored records; but a
  membership of the restored organisation for an existing person is refused unless the command
  is told `--keep-existing-users` (the administrator confirms that the usernames are the same
  people: otherwise whoever has that username here would see the organisation's data, and a
  consultant would see the site's vendor registry), and refused in any case for a staff member
  or superuser (an administrator adds such a membership by hand).
- Versions are the site's, shared by every organisation. A version of the same number and the
  same content is reused (v1 from `migrate`); one of the same number with other content is
  refused; a missing one is refused unless the command is told `--create-missing-versions`: it
  is then validated like a version being published and created with its number, and, being the
  newest, becomes what every organisation's new assessments start with.
- Vendors: one of the same name already in the registry is reused as it is, never changed; a
  new one is validated and created. The file may only hold the people, versions and vendors its
  records name.

Not exported: the inventory kept to undo the latest import (it names this database's ids: a
restored organisation's imports cannot be undone), `PendingUpload` (a file waiting for its column
mapping: upload it again), `Job`
(background work in progress or done: its outcome is in the records; start it again), sessions
and the admin log, and vendor links (`VendorLink`): a link is a door into this installation, and
a restored organisation must carry no working link to another one; its vendors get new links
from the restored organisation. Their submissions are exported without the link they came
through (the history's words still say which), the links' own events without their subject.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.background.jobs import Job
from assessments.domain import classification as cl
from assessments.domain import independence
from assessments.domain.choices import Outcome, VendorCriterion
from assessments.files.decisions import Decisions
from assessments.models import (
    Assessment,
    Comment,
    InventoryImport,
    MappingProfile,
    Override,
    Package,
    PendingUpload,
    Task,
    TaskResult,
    steps,
)
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    DecisionRule,
    EvaluationVersion,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
    Status,
    conditions_from_json,
)
from outsourcing_advisor.accounts.models import Invitation, Membership, Organisation, Profile
from outsourcing_advisor.common.wording import language_codes
from outsourcing_advisor.history.models import Event, SubjectType
from vendors.domain.scoring import HIGHEST_SCORE, LOWEST_SCORE
from vendors.models import (
    Bid,
    Certification,
    CertificationKind,
    Consensus,
    Evaluation,
    PricingModel,
    SecurityCheck,
    SecurityItem,
    SecurityStatus,
    Submission,
    Vendor,
    VendorLink,
)
from vendors.services.selection import GENERAL_COMMENT

FORMAT = "outsourcing-advisor/organisation"
FORMAT_VERSION = 2
# The signature's salt: a key used for anything else never signs an export.
SIGNING_SALT = "outsourcing-advisor/organisation-export"
# Reading a file: the deepest nesting (a genuine export is about ten levels deep) and the longest
# number (a 64-bit id has 19 digits).
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 30

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
    # Comments on a task or a package, with the members they mention (issue 18).
    (Comment, "assessment__organisation"),
    (InventoryImport, "assessment__organisation"),
    (steps.Goals, "assessment__organisation"),
    (steps.ReadinessEntry, "assessment__organisation"),
    (steps.Kpi, "assessment__organisation"),
    (steps.KpiActual, "kpi__assessment__organisation"),
    (steps.RfpDraft, "package__assessment__organisation"),
    (Bid, "package__assessment__organisation"),
    (Evaluation, "bid__package__assessment__organisation"),
    # What vendors submitted through their links (not the links: see SKIPPED), and the panel's
    # consensus scores (SPEC 4.6).
    (Submission, "bid__package__assessment__organisation"),
    (Consensus, "bid__package__assessment__organisation"),
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
    SubjectType.REGISTRY: Bid,  # a bid taking the registry as it is now
    SubjectType.SCORE: Evaluation,
    SubjectType.INVENTORY: InventoryImport,
    SubjectType.SUBMISSION: Submission,
    SubjectType.CONSENSUS: Consensus,
    SubjectType.PANEL: Package,
    SubjectType.COMMENT: Comment,
    # A vendor link is not exported (SKIPPED): its events keep only their words.
}


def _map_detail_bid(fields: dict[str, Any], bids: dict[Any, Any]) -> None:
    """A consensus event names its bid in its details (the history hides it from whoever may not
    see that bid's scores): that id is translated like the subject's, from one numbering to the
    other; an id the file does not hold becomes None (nothing is hidden by a stranger's id)."""
    details = fields.get("details")
    consensus = fields.get("subject_type") == SubjectType.CONSENSUS
    if consensus and isinstance(details, dict) and "bid" in details:
        fields["details"] = {**details, "bid": bids.get(details["bid"])}


# Belong to an organisation but are deliberately left out (see the module's docstring).
# An invitation, like a vendor link, is a door into this installation: never carried to another.
SKIPPED: frozenset[type[models.Model]] = frozenset({PendingUpload, Job, VendorLink, Invitation})

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
# A submission's link is not exported (vendor links are SKIPPED): a restored submission came
# through "a link no longer kept", as its history's words still say which.
NOT_EXPORTED_FIELDS = frozenset({(InventoryImport, "before"), (Submission, "link")})


def _fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields written to the file: all but the primary key (and those above)."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and (model, f.name) not in NOT_EXPORTED_FIELDS
    ]


def _many(model: type[models.Model]) -> list[models.ManyToManyField]:
    """The many-to-many fields written to the file with the row's fields, each as a sorted list
    of references (a package's evaluation panel: usernames, as memberships name people)."""
    return [f for f in model._meta.many_to_many if isinstance(f, models.ManyToManyField)]


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
    """Models whose rows belong to an organisation but are neither exported nor skipped,
    references the format cannot write, and JSON fields a restore could not check. Empty when
    the export covers the schema."""
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
        for f in [*_fields(model), *_many(model)]:
            if f.is_relation:
                try:
                    reference_kind(f.related_model)
                except TransferError as error:
                    problems.append(f"{label(model)}.{f.name}: {error}")
    return problems + json_problems()


# --- export ----------------------------------------------------------------------------------


def export(organisation: Organisation) -> dict[str, Any]:
    """The whole document for `organisation`; reads only through it."""
    ids: dict[type[models.Model], dict[int, int]] = {}
    rows: dict[type[models.Model], list[models.Model]] = {}
    for model, path in EXPORTED:
        # The base manager: every row, the tasks and packages in the trash too.
        found = list(model._base_manager.filter(**{path: organisation.pk}).order_by("pk"))
        rows[model] = found
        ids[model] = {obj.pk: n for n, obj in enumerate(found, start=1)}

    user_ids: set[int] = set()
    version_ids: dict[type[models.Model], set[int]] = {v: set() for v in VERSIONS}
    item_ids: set[int] = set()
    vendor_ids: set[int] = set()
    many: dict[tuple[type[models.Model], str], dict[int, list[int]]] = {}
    for model, _path in EXPORTED:
        for f in _many(model):
            through = f.remote_field.through
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            pairs = through._default_manager.filter(
                **{f"{source}__in": [obj.pk for obj in rows[model]]}
            ).values_list(f"{source}_id", f"{target}_id")
            linked: dict[int, list[int]] = {}
            for owner, other in pairs:
                linked.setdefault(owner, []).append(other)
            many[(model, f.name)] = linked
    for model, _path in EXPORTED:
        for f in [*_fields(model), *_many(model)]:
            if not f.is_relation:
                continue
            kind = reference_kind(f.related_model)
            if f.many_to_many:
                values = {pk for pks in many[(model, f.name)].values() for pk in pks}
            else:
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
                    **{
                        f.name: reference(f, getattr(obj, f.attname))
                        if f.is_relation
                        else _plain(f, f.value_from_object(obj))
                        for f in _fields(model)
                    },
                    **{
                        f.name: sorted(
                            reference(f, pk) for pk in many[(model, f.name)].get(obj.pk, [])
                        )
                        for f in _many(model)
                    },
                },
            }
            for obj in rows[model]
        ]
        for model, _path in EXPORTED
    }
    for entry, package in zip(records[label(Package)], rows[Package], strict=True):
        # The tasks a package in the trash held, by their ids in the file (those still kept).
        held = [ids[Task][pk] for pk in package.trashed_tasks or [] if pk in ids[Task]]
        entry["fields"]["trashed_tasks"] = held
    for entry, event in zip(records[label(Event)], rows[Event], strict=True):
        subject = EVENT_SUBJECTS.get(event.subject_type)
        entry["fields"]["subject_id"] = ids[subject].get(event.subject_id) if subject else None
        _map_detail_bid(entry["fields"], ids[Bid])
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
    return sign(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "data": data,
        }
    )


def _row_fields(model: type[models.Model], skip: set[str]) -> list[models.Field]:
    return [f for f in _fields(model) if f.name not in skip]


# Not in a version's "fields": its number (the key) and who published it.
VERSION_UNEXPORTED = frozenset({"number", "published_by"})


def _version_fields(model: type[models.Model]) -> list[models.Field]:
    """A version's own fields, without the number (the key) and who published it."""
    return _row_fields(model, set(VERSION_UNEXPORTED))


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


def canonical(value: Any) -> bytes:
    """The bytes a signature is computed over: keys sorted, no spaces, UTF-8."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _signing_keys() -> list[str]:
    """EXPORT_SIGNING_KEY; when it is empty, SECRET_KEY and then its fallbacks."""
    key = getattr(settings, "EXPORT_SIGNING_KEY", "")
    if key:
        return [key]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def signature(document: dict[str, Any], key: str | None = None) -> str:
    """The HMAC-SHA256 of everything in the document but its signature, under `key` (the
    export key by default)."""
    signed = {name: value for name, value in document.items() if name != "signature"}
    secret = key if key is not None else _signing_keys()[0]
    return salted_hmac(
        SIGNING_SALT, canonical(signed), secret=secret, algorithm="sha256"
    ).hexdigest()


def sign(document: dict[str, Any]) -> dict[str, Any]:
    return {**document, "signature": signature(document)}


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# --- reading a file --------------------------------------------------------------------------

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _too_deep(text: str) -> bool:
    """Whether the JSON text nests arrays and objects more than MAX_DEPTH deep (brackets inside
    strings do not count). Looked at before parsing: Python's parser recurses once a level."""
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth -= 1
    return False


def _malformed(detail: str) -> TransferError:
    return TransferError(
        _("The file is not an export this application can read: %(detail)s Nothing was written.")
        % {"detail": detail}
    )


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _malformed(
                _("the key “%(key)s” appears twice in one object.") % {"key": key[:80]}
            )
        found[key] = value
    return found


def _long_number(text: str) -> TransferError:
    return _malformed(
        _("a number has more than %(digits)s digits (%(start)s…).")
        % {"digits": MAX_NUMBER_DIGITS, "start": text[:20]}
    )


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _long_number(text)
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise _long_number(text)
    value = float(text)
    if not math.isfinite(value):
        raise _malformed(_("the number %(number)s is too large.") % {"number": text[:40]})
    return value


def _constant(name: str) -> Any:
    raise _malformed(_("%(name)s is not a number JSON allows.") % {"name": name})


def parse(raw: str | bytes) -> Any:
    """The JSON value of the text, refusing what a genuine export never holds and what would
    exhaust the reader: deep nesting, long numbers, NaN and Infinity, a key twice in an object."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _malformed(
                _("it is not UTF-8 text (byte %(position)s).") % {"position": error.start}
            ) from error
    if _too_deep(raw):
        raise _malformed(
            _("it nests arrays or objects more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}
        )
    try:
        return json.loads(
            raw,
            object_pairs_hook=_object,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
        )
    except RecursionError as error:  # the depth check missed a malformed string
        raise _malformed(
            _("it nests arrays or objects more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}
        ) from error
    except ValueError as error:
        raise TransferError(
            _("The file is not JSON (%(error)s). Nothing was written.") % {"error": error}
        ) from error


def loads(raw: str | bytes) -> dict[str, Any]:
    """The document's `data`, once the envelope is checked: JSON this code can read safely,
    this format, this format's version, and a signature made with the export key."""
    document = parse(raw)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(_("The file is not an organisation export of this application."))
    found = document.get("format_version")
    if found == 1:
        raise TransferError(
            _(
                "The file is an unsigned export (format version 1), made before exports were "
                "signed; it cannot be trusted. Export the organisation again with this version "
                "of the application."
            )
        )
    if found != FORMAT_VERSION or isinstance(found, bool):
        raise TransferError(
            _("The file has format version %(found)s; this application reads version %(known)s.")
            % {"found": json.dumps(found)[:20], "known": FORMAT_VERSION}
        )
    given = document.get("signature")
    if not isinstance(given, str) or not any(
        constant_time_compare(given, signature(document, key)) for key in _signing_keys()
    ):
        raise TransferError(
            _(
                "The file's signature does not match: it was changed after it was exported, or "
                "it was exported by a server with another signing key (EXPORT_SIGNING_KEY). "
                "Nothing was written."
            )
        )
    data = document.get("data")
    if not isinstance(data, dict):
        raise TransferError(_("The file is not an organisation export of this application."))
    return data


# --- what JSON fields may hold -----------------------------------------------------------------

CODE_LENGTH = ChecklistCriterion._meta.get_field("code").max_length
ANSWER_SOURCES = frozenset({"file", "user"})


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal_text(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > MAX_NUMBER_DIGITS:
        return False
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False


def _answers(value: Any) -> bool:
    return isinstance(value, dict) and all(
        0 < len(code) <= CODE_LENGTH and answer in cl.ANSWERS for code, answer in value.items()
    )


def _answer_sources(value: Any) -> bool:
    return isinstance(value, dict) and all(
        0 < len(code) <= CODE_LENGTH and source in ANSWER_SOURCES for code, source in value.items()
    )


def _contribution(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and value[1] in cl.ANSWERS
        and _decimal_text(value[2])
    )


# What the pages read of a stored result (Task.assess writes it; explain.py reads it).
RESULT_DETAIL: dict[str, Callable[[Any], bool]] = {
    "runner_up": lambda v: v == "" or v in Outcome.values,
    "rule": lambda v: isinstance(v, str),
    "pilot": lambda v: isinstance(v, bool),
    "security_required": lambda v: isinstance(v, bool),
    "reasons": _texts,
    "warnings": _texts,
    "missing": _texts,
    "contributions": lambda v: isinstance(v, list) and all(_contribution(c) for c in v),
}
# What the history page reads of an event's details (history/display.py).
EVENT_DETAILS: dict[str, Callable[[Any], bool]] = {
    **dict.fromkeys(
        ("rows", "count", "added", "changed", "removed", "evaluations", "bid", "version", "link"),
        _whole,
    ),
    # The trash (issue 18): the tasks a package held when it went there; days before purging.
    **dict.fromkeys(("held", "purged"), _whole),
    **dict.fromkeys(
        ("filename", "sha256", "from", "to", "merged", "copy_of"), lambda v: isinstance(v, str)
    ),
    # A vendor's link and submission (SPEC 4.6), a consensus score's criterion.
    **dict.fromkeys(
        (
            "vendor",
            "expires",
            "link_issued",
            "link_by",
            "submitted",
            "comment",
            "reference",
            "criterion",
            # An organisation's members and invitations (issue 18): role, address, who joined.
            "role",
            "email",
            "member",
        ),
        lambda v: isinstance(v, str),
    ),
    "tasks": _texts,
    "replaced": lambda v: isinstance(v, bool),
}


def _keyed(checks: dict[str, Callable[[Any], bool]]) -> Callable[[Any], bool]:
    """An object whose known keys hold what their checks accept (others are not read)."""
    return lambda value: isinstance(value, dict) and all(
        check(value[key]) for key, check in checks.items() if key in value
    )


def _decisions(value: Any) -> bool:
    """Decisions.from_json keeps every name and value (it drops what has the wrong type)."""
    return (
        isinstance(value, dict)
        and set(value) <= set(Decisions().as_json())
        and Decisions.from_json(value).as_json() == {**Decisions().as_json(), **value}
    )


def _scores(value: Any) -> bool:
    return isinstance(value, dict) and all(
        key in VendorCriterion.values and _whole(score) and LOWEST_SCORE <= score <= HIGHEST_SCORE
        for key, score in value.items()
    )


def _comments(value: Any) -> bool:
    keys = {*VendorCriterion.values, GENERAL_COMMENT}
    return _text_map(value) and set(value) <= keys


def _changes(value: Any) -> bool:
    return isinstance(value, list) and all(_text_map(change) for change in value)


def _services(value: Any) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(key, str) and key in Outcome.values for key in value)
        and len(set(value)) == len(value)
    )


def _independence(value: Any) -> bool:
    """A package's 告示37号 answers: known items (or items of an earlier wording, read as they
    are now) answered yes or no, nothing else."""
    known = (*independence.KEYS, *independence.LEGACY)
    return isinstance(value, dict) and all(
        key in known and answer in independence.ANSWERS for key, answer in value.items()
    )


# What a vendor's submission holds (vendors/services/portal.py writes it, review.py reads it).
SUBMITTED_QUOTE = frozenset(
    {
        "pricing_model",
        "initial_fee",
        "monthly_fee",
        "unit_price",
        "annual_volume",
        "annual_volume_low",
        "annual_volume_high",
        "quote_note",
    }
)


def _amount_text(value: Any) -> bool:
    return value is None or (_decimal_text(value) and Decimal(value) >= 0)


def _submitted_quote(value: Any) -> bool:
    """Amounts as decimal texts (or null), the pricing model's key, the note as text."""
    return (
        isinstance(value, dict)
        and set(value) <= SUBMITTED_QUOTE
        and value.get("pricing_model") in (None, "", *PricingModel.values)
        and isinstance(value.get("quote_note", ""), str)
        and all(
            _amount_text(value[key])
            for key in SUBMITTED_QUOTE - {"pricing_model", "quote_note"}
            if key in value
        )
    )


def _submitted_security(value: Any) -> bool:
    """Each item of the check: {"status": a status or "" (open), "note": text}."""
    return isinstance(value, dict) and all(
        item in SecurityItem.values
        and isinstance(answer, dict)
        and set(answer) <= {"status", "note"}
        and answer.get("status", "") in ("", *SecurityStatus.values)
        and isinstance(answer.get("note", ""), str)
        for item, answer in value.items()
    )


def _submitted_certifications(value: Any) -> bool:
    """[{"kind": a kind of the registry, "number": text, "expires_on": a date or null}]."""
    return isinstance(value, list) and all(
        isinstance(entry, dict)
        and set(entry) <= {"kind", "number", "expires_on"}
        and entry.get("kind") in CertificationKind.values
        and isinstance(entry.get("number", ""), str)
        and (entry.get("expires_on") in (None, "") or _iso_date(entry["expires_on"]))
        for entry in value
    )


def _iso_date(value: Any) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _contact(value: Any) -> bool:
    return _text_map(value) and set(value) <= {"name", "email", "phone"}


def _conditions(value: Any) -> bool:
    try:
        conditions_from_json(value)
    except (ValueError, TypeError):
        return False
    return True


# The shape of each JSON field the file holds, and how a refusal describes it. A JSON field
# that validates itself (its model field's validators) needs no entry; any other must have one
# (`coverage_problems` says so).
JSON_SHAPES: dict[tuple[type[models.Model], str], tuple[Callable[[Any], bool], Any]] = {
    (Task, "answers"): (
        _answers,
        gettext_lazy(
            "expected an object giving each question's code (C1 …) one of the answers yes, "
            "partly, no or unknown."
        ),
    ),
    (Task, "answer_sources"): (
        _answer_sources,
        gettext_lazy("expected an object giving question codes the source “file” or “user”."),
    ),
    (TaskResult, "detail"): (
        _keyed(RESULT_DETAIL),
        gettext_lazy(
            "expected a result's detail: an object of its runner-up, rule, reasons, warnings, "
            "contributions and missing answers, each of its kind."
        ),
    ),
    (MappingProfile, "decisions"): (
        _decisions,
        gettext_lazy(
            "expected the decisions of a column mapping (sheet, columns, units, values, "
            "categories…), each of its kind."
        ),
    ),
    (Package, "trashed_tasks"): (
        lambda value: isinstance(value, list) and all(_whole(item) for item in value),
        gettext_lazy("expected a list of the ids of tasks in the file."),
    ),
    (Package, "independence"): (
        _independence,
        gettext_lazy(
            "expected an object giving items of the 告示37号 checklist the answer yes or no."
        ),
    ),
    (steps.RfpDraft, "sections"): (
        _text_map,
        gettext_lazy("expected an object giving each section its text."),
    ),
    (Evaluation, "scores"): (
        _scores,
        gettext_lazy("expected an object giving vendor criteria whole-number scores from 1 to 5."),
    ),
    (Evaluation, "comments"): (
        _comments,
        gettext_lazy("expected an object giving vendor criteria (or “general”) a comment."),
    ),
    (Event, "changes"): (
        _changes,
        gettext_lazy("expected a list of changes, each an object of texts."),
    ),
    (Event, "details"): (
        _keyed(EVENT_DETAILS),
        gettext_lazy("expected an object of the event's details, each of its kind."),
    ),
    (Bid, "statements"): (
        _independence,
        gettext_lazy(
            "expected an object giving items of the 告示37号 statements the answer yes or no."
        ),
    ),
    (Submission, "quote"): (
        _submitted_quote,
        gettext_lazy(
            "expected a vendor's quote: its pricing model, amounts as decimal texts or null, "
            "and a note."
        ),
    ),
    (Submission, "security"): (
        _submitted_security,
        gettext_lazy("expected an object giving items of the security check a status and a note."),
    ),
    (Submission, "statements"): (
        _independence,
        gettext_lazy(
            "expected an object giving items of the 告示37号 statements the answer yes or no."
        ),
    ),
    (Submission, "certifications"): (
        _submitted_certifications,
        gettext_lazy(
            "expected a list of certifications and licences: a kind, a number and an expiry "
            "date or null each."
        ),
    ),
    (Submission, "contact"): (
        _contact,
        gettext_lazy("expected a contact: a name, an e-mail address and a telephone number."),
    ),
    (Vendor, "services"): (
        _services,
        gettext_lazy("expected a list of the models the vendor offers (bpo, ito…), each once."),
    ),
    (DecisionRule, "conditions"): (
        _conditions,
        gettext_lazy("expected a list of groups of conditions: [[[attribute, operator, value]]]."),
    ),
}


def _checked_models() -> list[type[models.Model]]:
    """Every model a file holds rows of."""
    rows = [_rows_model(model) for model in VERSIONS]
    return [
        *(model for model, _path in EXPORTED),
        *VERSIONS,
        *rows,
        Vendor,
        *(model for _name, model in VENDOR_CHILDREN),
    ]


def json_problems() -> list[str]:
    """JSON fields a file holds that neither validate themselves nor have a shape check."""
    return [
        f"{label(model)}.{f.name}: a JSON field without validators of its own nor a shape "
        "check in transfer.JSON_SHAPES"
        for model in _checked_models()
        for f in _fields(model)
        if isinstance(f, models.JSONField)
        and not f.validators
        and (model, f.name) not in JSON_SHAPES
    ]


# --- validating values ---------------------------------------------------------------------


class _Invalid(Exception):
    """A value its field refuses; the message says why."""


def _stamped(f: models.Field) -> bool:
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def clean_value(model: type[models.Model], f: models.Field, value: Any) -> Any:
    """`value` as field `f` holds it, validated as the forms and the import validate it (the
    field's type, length, choices, bounds and validators; a JSON field's shape). An empty value
    where a form would ask for one is accepted: the database holds such values. Raises _Invalid."""
    if value is None and _stamped(f):
        return None  # the time of the restore (see _insert)
    try:
        cleaned = f.clean(value, None)
    except ValidationError as error:
        problems = [m for e in error.error_list if e.code != "blank" for m in e.messages]
        if problems:
            raise _Invalid(" ".join(problems)) from error
        cleaned = f.to_python(value)
    except (ArithmeticError, TypeError, ValueError) as error:
        raise _Invalid(_("not a value this field can hold.")) from error
    shape = JSON_SHAPES.get((model, f.name))
    if shape is not None and cleaned is not None and not shape[0](cleaned):
        raise _Invalid(str(shape[1]))
    return cleaned


def _refused(where: str, field_name: str, problem: str) -> TransferError:
    return TransferError(
        _(
            "The file cannot be restored: %(where)s, field “%(field)s”: %(problem)s Nothing "
            "was written."
        )
        % {"where": where, "field": field_name, "problem": problem}
    )


def _row_values(
    model: type[models.Model], where: str, given: Any, skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A row's own (not relation) values from the file by attname, each validated; fields the
    file leaves out take their default, validated too. Refuses a field this application does not
    know (`skip`: fields the file does not hold for this row)."""
    if not isinstance(given, dict):
        raise _refused(where, "fields", _("expected an object of fields."))
    known = {f.name for f in [*_fields(model), *_many(model)]}
    _no_unknown_fields(where, given, known - skip)
    values = {}
    for f in _fields(model):
        if f.is_relation or f.name in skip:
            continue
        name = f.name
        raw = given[name] if name in given else f.get_default()
        try:
            values[f.attname] = clean_value(model, f, raw)
        except _Invalid as error:
            raise _refused(where, name, str(error)) from error
    return values


def _no_unknown_fields(where: str, given: dict[str, Any], known: set[str]) -> None:
    unknown = set(given) - known
    if unknown:
        raise TransferError(
            _("%(model)s in the file has fields this application does not know: %(fields)s.")
            % {"model": where, "fields": ", ".join(sorted(unknown))}
        )


def _unique_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    """The attnames of each unique field and unconditional unique constraint of the model."""
    meta = model._meta
    found = [(f.attname,) for f in meta.concrete_fields if f.unique and not f.primary_key]
    found += [tuple(meta.get_field(n).attname for n in names) for names in meta.unique_together]
    found += [
        tuple(meta.get_field(n).attname for n in constraint.fields)
        for constraint in meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    return found


def _no_repeats(
    model: type[models.Model],
    rows: list[tuple[str, models.Model]],
    same: frozenset[str] = frozenset(),
) -> None:
    """Refuses two rows of the file with the same value where the model wants it unique (all the
    rows are new: the database holds no other row of the organisation). `same`: attnames every
    row shares (the version or vendor they are rows of)."""
    for names in _unique_sets(model):
        compared = tuple(name for name in names if name not in same)
        if not compared:
            continue
        seen: dict[tuple[Any, ...], str] = {}
        for where, obj in rows:
            key = tuple(getattr(obj, name) for name in compared)
            if None in key:
                continue  # NULLs never clash
            if key in seen:
                raise TransferError(
                    _(
                        "The file cannot be restored: %(where)s repeats the %(fields)s of "
                        "%(other)s, which must differ. Nothing was written."
                    )
                    % {"where": where, "fields": ", ".join(compared), "other": seen[key]}
                )
            seen[key] = where


# --- restore ---------------------------------------------------------------------------------


@dataclass
class Restored:
    organisation: Organisation
    counts: dict[str, int] = field(default_factory=dict)
    users_created: list[str] = field(default_factory=list)
    users_reused: list[str] = field(default_factory=list)
    # "username (role)" of each person already here made a member (--keep-existing-users).
    members_kept: list[str] = field(default_factory=list)
    versions_created: list[str] = field(default_factory=list)
    versions_reused: list[str] = field(default_factory=list)
    vendors_created: list[str] = field(default_factory=list)
    vendors_reused: list[str] = field(default_factory=list)


def restore(
    data: dict[str, Any],
    *,
    keep_existing_users: bool = False,
    create_missing_versions: bool = False,
) -> Restored:
    """Write the document's organisation into this database, all or nothing.

    `keep_existing_users`: give people who already exist here the memberships the file gives
    them in the restored organisation (never staff or superusers). `create_missing_versions`:
    create the published versions the file uses that this database lacks (site-wide data)."""
    try:
        with transaction.atomic():
            return _Restorer(data, keep_existing_users, create_missing_versions).run()
    except TransferError:
        raise
    except (
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        AttributeError,
        ArithmeticError,
        RecursionError,
        ValidationError,
        DatabaseError,
    ) as error:
        raise TransferError(
            _("The file cannot be restored; nothing was written (%(error)s: %(detail)s).")
            % {"error": type(error).__name__, "detail": str(error)[:300]}
        ) from error


@dataclass
class _Named:
    """The people, versions and vendors the file's records refer to."""

    users: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)  # usernames of the memberships
    versions: set[tuple[type[models.Model], Any]] = field(default_factory=set)
    vendors: set[str] = field(default_factory=set)


def _shape_refused(where: str, expected: str) -> TransferError:
    return TransferError(
        _("The file cannot be restored: %(where)s: expected %(expected)s. Nothing was written.")
        % {"where": where, "expected": expected}
    )


def _list_of_objects(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise TransferError(
            _("The file cannot be restored: %(where)s must be a list of objects.")
            % {"where": where}
        )
    return value


class _Restorer:
    def __init__(
        self, data: dict[str, Any], keep_existing_users: bool, create_missing_versions: bool
    ) -> None:
        self.data = data
        self.keep_existing_users = keep_existing_users
        self.create_missing_versions = create_missing_versions
        self.ids: dict[type[models.Model], dict[int, int]] = {}
        self.users: dict[str, int] = {}
        self.versions: dict[type[models.Model], dict[int, int]] = {}
        self.items: dict[tuple[int, str], int] = {}
        self.vendors: dict[str, int] = {}
        # The file's id of each package's assessment: a task or KPI names a package of its own.
        self.package_assessments: dict[int, Any] = {}
        self.task_assessments: dict[int, Any] = {}
        self.result: Restored | None = None

    def run(self) -> Restored:
        self._check_sections()
        records = self.data["records"]
        organisations = records.get(label(Organisation), [])
        if len(organisations) != 1:
            raise TransferError(_("The file must hold exactly one organisation."))
        name = organisations[0]["fields"].get("name")
        if not isinstance(name, str) or not name.strip():
            raise _refused(
                f"{label(Organisation)} {organisations[0]['id']}",
                "name",
                _("the organisation has no name."),
            )
        if Organisation.objects.filter(name=name).exists():
            raise TransferError(
                _("An organisation named “%(name)s” already exists; nothing was restored.")
                % {"name": name}
            )
        self.result = Restored(organisation=Organisation(name=name))
        named = self._named()
        self._users(named)
        self._versions(named)
        self._vendors(named)
        for model, _path in EXPORTED:
            self._records(model, records.get(label(model), []))
        self._trashed_tasks(records.get(label(Package), []))
        organisation_id = self.ids[Organisation][organisations[0]["id"]]
        self.result.organisation = Organisation.objects.get(pk=organisation_id)
        reused = [self.users[username] for username in self.result.users_reused]
        self.result.members_kept = [
            f"{username} ({role})"
            for username, role in Membership.objects.filter(
                organisation_id=organisation_id, user_id__in=reused
            )
            .order_by("user__username")
            .values_list("user__username", "role")
        ]
        return self.result

    def _trashed_tasks(self, entries: list[dict[str, Any]]) -> None:
        """A package in the trash names the tasks it held by their ids in the file: restored
        before the tasks, it is given their ids in this database once they are."""
        tasks = self.ids[Task]
        for entry in entries:
            held = entry["fields"].get("trashed_tasks") or []
            if not held:
                continue
            if any(pk not in tasks for pk in held):
                raise _refused(
                    f"{label(Package)} {entry['id']}",
                    "trashed_tasks",
                    _("a task the file does not hold."),
                )
            Package.with_trashed.filter(pk=self.ids[Package][entry["id"]]).update(
                trashed_tasks=[tasks[pk] for pk in held]
            )

    def _check_sections(self) -> None:
        """The document's parts have the kinds they must have, before any is read."""
        expected = {"users", "versions", "vendors", "records"}
        if set(self.data) != expected:
            raise TransferError(
                _("The file's data must hold exactly: %(parts)s.")
                % {"parts": ", ".join(sorted(expected))}
            )
        _list_of_objects(self.data["users"], "users")
        _list_of_objects(self.data["vendors"], "vendors")
        for part in ("versions", "records"):
            if not isinstance(self.data[part], dict):
                raise TransferError(
                    _("The file cannot be restored: %(where)s must be an object.") % {"where": part}
                )
        unknown = set(self.data["versions"]) - {label(model) for model in VERSIONS}
        if unknown:
            raise TransferError(
                _("The file holds versions this application does not know: %(models)s.")
                % {"models": ", ".join(sorted(unknown))}
            )
        unknown = set(self.data["records"]) - {label(model) for model, _path in EXPORTED}
        if unknown:
            raise TransferError(
                _("The file holds records this application does not know: %(models)s.")
                % {"models": ", ".join(sorted(unknown))}
            )
        for name, entries in self.data["versions"].items():
            for entry in _list_of_objects(entries, name):
                _list_of_objects(entry.get("rows"), f"{name} v{entry.get('number')}: rows")
        for name, entries in self.data["records"].items():
            for entry in _list_of_objects(entries, name):
                record_id = entry.get("id")
                if not _whole(record_id) or record_id < 1 or set(entry) != {"id", "fields"}:
                    raise TransferError(
                        _(
                            "The file cannot be restored: each record of %(model)s must be "
                            "{“id”: a whole number from 1, “fields”: {…}}."
                        )
                        % {"model": name}
                    )
                if not isinstance(entry["fields"], dict):
                    raise _refused(f"{name} {record_id}", "fields", _("expected an object."))

    def _named(self) -> _Named:
        """What the records refer to by name or number (a value of the wrong kind is left to
        `_reference`, which refuses it)."""
        named = _Named()
        for model, _path in EXPORTED:
            relations = [f for f in _fields(model) if f.is_relation]
            for entry in self.data["records"].get(label(model), []):
                for f in _many(model):  # people named in a list (a panel): not members
                    value = entry["fields"].get(f.name)
                    if reference_kind(f.related_model) == "user" and isinstance(value, list):
                        named.users |= {name for name in value if isinstance(name, str)}
                for f in relations:
                    value = entry["fields"].get(f.name)
                    kind = reference_kind(f.related_model)
                    if kind == "user" and isinstance(value, str):
                        named.users.add(value)
                        if model is Membership:
                            named.members.add(value)
                    elif kind == "vendor" and isinstance(value, str):
                        named.vendors.add(value)
                    elif kind == "version" and _whole(value):
                        named.versions.add((f.related_model, value))
                    elif kind == "readiness_item" and isinstance(value, list) and value:
                        if _whole(value[0]):
                            named.versions.add((ReadinessVersion, value[0]))
        return named

    # --- people ---------------------------------------------------------------------------

    def _users(self, named: _Named) -> None:
        entries = self.data["users"]
        allowed = {*USER_FIELDS, "language"}
        usernames: list[str] = []
        for entry in entries:
            username = entry.get("username")
            where = _("person “%(username)s”") % {"username": str(username)[:150]}
            if not isinstance(username, str):
                raise _refused(where, "username", _("expected a text."))
            _no_unknown_fields(where, entry, allowed)
            if username in usernames:
                raise TransferError(
                    _("The file names the person “%(username)s” twice.") % {"username": username}
                )
            if username not in named.users:
                raise TransferError(
                    _(
                        "The file holds the person “%(username)s”, whom none of its records "
                        "names; nothing was written."
                    )
                    % {"username": username}
                )
            usernames.append(username)
        existing = {
            u.get_username(): u for u in User._default_manager.filter(username__in=usernames)
        }
        members = sorted(named.members & existing.keys())
        privileged = [u for u in members if existing[u].is_staff or existing[u].is_superuser]
        if privileged:
            raise TransferError(
                _(
                    "The file makes staff members or superusers of this site (%(usernames)s) "
                    "members of the organisation. A restore never does: an administrator adds "
                    "such a membership by hand. Nothing was written."
                )
                % {"usernames": ", ".join(privileged)}
            )
        if members and not self.keep_existing_users:
            raise TransferError(
                _(
                    "The file makes people who already exist in this database members of the "
                    "organisation: %(usernames)s. Whoever has that username here would see the "
                    "organisation's data. If they are the same people, run the restore again "
                    "with --keep-existing-users. Nothing was written."
                )
                % {"usernames": ", ".join(members)}
            )
        for entry in entries:
            username = entry["username"]
            if username in existing:  # as they are: nothing of the file is written on them
                self.users[username] = existing[username].pk
                self.result.users_reused.append(username)
                continue
            self.users[username] = self._new_user(entry)
            self.result.users_created.append(username)

    def _new_user(self, entry: dict[str, Any]) -> int:
        username = entry["username"]
        where = _("person “%(username)s”") % {"username": username[:150]}
        if User.normalize_username(username) != username:
            raise _refused(where, "username", _("not written as this application writes it."))
        user = User(**{name: entry[name] for name in USER_FIELDS if name in entry})
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            name, problems = next(iter(error.message_dict.items()))
            raise _refused(where, name, " ".join(problems)) from error
        user.is_staff = user.is_superuser = False
        user.save()
        language = entry.get("language")
        if language not in (None, ""):
            if language not in language_codes():
                raise _refused(
                    where,
                    "language",
                    _("not one of the languages: %(languages)s.")
                    % {"languages": ", ".join(language_codes())},
                )
            Profile.objects.create(user=user, language=language)
        return user.pk

    # --- versions -------------------------------------------------------------------------

    def _versions(self, named: _Named) -> None:
        for model in VERSIONS:
            self.versions[model] = {}
            for entry in self.data["versions"].get(label(model), []):
                number = entry.get("number")
                name = f"{model._meta.verbose_name} v{number}"
                if not _whole(number) or number < 1:
                    raise _refused(name, "number", _("expected a whole number from 1."))
                if number in self.versions[model]:
                    raise TransferError(_("The file holds %(version)s twice.") % {"version": name})
                if (model, number) not in named.versions:
                    raise TransferError(
                        _(
                            "The file holds %(version)s, which none of its records uses; "
                            "nothing was written."
                        )
                        % {"version": name}
                    )
                self.versions[model][number] = self._version(model, number, entry)
        for item in ReadinessItem.objects.filter(
            version_id__in=self.versions[ReadinessVersion].values()
        ).select_related("version"):
            self.items[(item.version.number, item.code)] = item.pk

    def _version(self, model: type[models.Model], number: int, entry: dict[str, Any]) -> int:
        name = f"{model._meta.verbose_name} v{number}"
        rows_model = _rows_model(model)
        if set(entry) != {"number", "fields", "rows"}:
            raise _shape_refused(name, "{“number”, “fields”, “rows”}")
        fields = _row_values(model, name, entry["fields"], skip=frozenset(VERSION_UNEXPORTED))
        rows = [
            _row_values(
                rows_model, _("%(version)s, row %(row)s") % {"version": name, "row": n}, row,
                skip=frozenset({"version"}),
            )
            for n, row in enumerate(entry["rows"], start=1)
        ]  # fmt: skip
        if fields.get("status") != Status.PUBLISHED:
            raise TransferError(_("%(version)s in the file is not published.") % {"version": name})
        present = model._default_manager.filter(number=number).first()
        if present is not None:
            mine = {f.attname: f.value_from_object(present) for f in _version_fields(model)}
            row_fields = _row_fields(rows_model, {"version"})
            my_rows = [
                {f.attname: f.value_from_object(row) for f in row_fields}
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
        if not self.create_missing_versions:
            raise TransferError(
                _(
                    "%(version)s is not in this database. Versions are shared by every "
                    "organisation of the site (a new assessment starts with the latest): a site "
                    "administrator may create it with --create-missing-versions. Nothing was "
                    "written."
                )
                % {"version": name}
            )
        version = model(number=number, **fields)
        _insert(model, [version])
        objects = [rows_model(version=version, **row) for row in rows]
        _no_repeats(
            rows_model,
            [(_("%(version)s, row %(row)s") % {"version": name, "row": n}, obj)
             for n, obj in enumerate(objects, start=1)],
            same=frozenset({"version_id"}),
        )  # fmt: skip
        _insert(rows_model, objects)
        problems = version.problems()
        if problems:
            raise TransferError(
                _("%(version)s in the file could not be published: %(problems)s")
                % {
                    "version": name,
                    "problems": " ".join(version.problem_message(p) for p in problems),
                }
            )
        self.result.versions_created.append(name)
        return version.pk

    # --- vendors --------------------------------------------------------------------------

    def _vendors(self, named: _Named) -> None:
        for entry in self.data["vendors"]:
            given = entry.get("fields")
            name = given.get("name") if isinstance(given, dict) else None
            where = _("vendor “%(name)s”") % {"name": str(name)[:200]}
            if not isinstance(name, str):
                raise _refused(where, "name", _("expected a text."))
            if set(entry) != {"fields", *(key for key, _model in VENDOR_CHILDREN)}:
                raise _shape_refused(where, "{“fields”, “certifications”, “security_checks”}")
            if name in self.vendors:
                raise TransferError(
                    _("The file holds the vendor “%(name)s” twice.") % {"name": name}
                )
            if name not in named.vendors:
                raise TransferError(
                    _(
                        "The file holds the vendor “%(name)s”, which no bid names; nothing was "
                        "written."
                    )
                    % {"name": name}
                )
            present = Vendor.objects.filter(name=name).values_list("pk", flat=True).first()
            if present is not None:  # the registry is the site's: reused, never changed
                self.vendors[name] = present
                self.result.vendors_reused.append(name)
                continue
            vendor = Vendor(**_row_values(Vendor, where, given))
            _insert(Vendor, [vendor])
            for key, model in VENDOR_CHILDREN:
                objects = [
                    model(
                        vendor=vendor,
                        **_row_values(
                            model, f"{where}, {key} {n}", row, skip=frozenset({"vendor"})
                        ),
                    )
                    for n, row in enumerate(_list_of_objects(entry[key], f"{where}: {key}"), 1)
                ]
                _no_repeats(
                    model,
                    [(f"{where}, {key} {n}", obj) for n, obj in enumerate(objects, 1)],
                    same=frozenset({"vendor_id"}),
                )
                _insert(model, objects)
            self.vendors[name] = vendor.pk
            self.result.vendors_created.append(name)

    # --- the organisation's records -------------------------------------------------------

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
                if not isinstance(value, list) or len(value) != 2:
                    raise TypeError(value)
                return self.items[(value[0], value[1])]
            return self.vendors[value]
        except (KeyError, TypeError, IndexError) as error:
            raise TransferError(
                _("%(field)s refers to %(value)s, which the file does not hold.")
                % {"field": f, "value": json.dumps(value, ensure_ascii=False)[:100]}
            ) from error

    def _records(self, model: type[models.Model], entries: list[dict[str, Any]]) -> None:
        relations = [f for f in _fields(model) if f.is_relation]
        objects: list[models.Model] = []
        rows: list[tuple[str, models.Model]] = []
        ids: dict[int, int] = {}
        for entry in entries:
            where = f"{label(model)} {entry['id']}"
            if entry["id"] in ids:
                raise TransferError(
                    _("%(model)s in the file repeats an id.") % {"model": label(model)}
                )
            ids[entry["id"]] = len(objects)
            given = entry["fields"]
            values = _row_values(model, where, given)
            for f in relations:
                values[f.attname] = self._reference(f, given.get(f.name))
                if values[f.attname] is None and not f.null:
                    raise _refused(where, f.name, _("a reference is required here."))
            if model is Event:  # the subject's id in this database (see EVENT_SUBJECTS)
                subject = EVENT_SUBJECTS.get(values["subject_type"])
                values["subject_id"] = (
                    self.ids[subject].get(values["subject_id"]) if subject else None
                )
                _map_detail_bid(values, self.ids[Bid])
            self._consistent(model, where, entry)
            obj = model(**values)
            objects.append(obj)
            rows.append((where, obj))
        _no_repeats(model, rows)
        wheres = [where for where, _obj in rows]
        linked = {
            f.name: [
                self._linked(f, where, entry["fields"])
                for where, entry in zip(wheres, entries, strict=True)
            ]
            for f in _many(model)
        }
        _insert(model, objects)
        for f in _many(model):
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            f.remote_field.through._default_manager.bulk_create(
                f.remote_field.through(**{f"{source}_id": obj.pk, f"{target}_id": pk})
                for obj, pks in zip(objects, linked[f.name], strict=True)
                for pk in pks
            )
        self.ids[model] = {entry["id"]: obj.pk for entry, obj in zip(entries, objects, strict=True)}
        self.result.counts[label(model)] = len(objects)

    def _linked(self, f: models.ManyToManyField, where: str, given: dict[str, Any]) -> list[Any]:
        """The rows a many-to-many field of a record names, in this database: a list of
        references, each once (none when the file leaves the field out: an older export)."""
        value = given.get(f.name, [])
        problem = _("expected a list of references, each once.")
        if not isinstance(value, list) or len(value) != len(
            {json.dumps(item, sort_keys=True) for item in value}
        ):
            raise _refused(where, f.name, problem)
        found = [self._reference(f, item) for item in value]
        if None in found:
            raise _refused(where, f.name, problem)
        return found

    def _consistent(self, model: type[models.Model], where: str, entry: dict[str, Any]) -> None:
        """A task or KPI names a package of its own assessment; a consensus score is one of a
        vendor criterion, from 1 to 5 (what `panel.save_consensus` allows)."""
        given = entry["fields"]
        if model is Consensus:
            if given.get("criterion") not in VendorCriterion.values:
                raise _refused(where, "criterion", _("not one of the vendor criteria."))
            score = given.get("score")
            if not (_whole(score) and LOWEST_SCORE <= score <= HIGHEST_SCORE):
                raise _refused(where, "score", _("expected a whole number from 1 to 5."))
        if model is Package:
            self.package_assessments[entry["id"]] = given.get("assessment")
        if model is Task:
            self.task_assessments[entry["id"]] = given.get("assessment")
        if model is Comment:
            self._comment_consistent(where, given)
        elif (
            model in (Task, steps.Kpi)
            and given.get("package") is not None
            and self.package_assessments.get(given["package"]) != given.get("assessment")
        ):
            raise _refused(where, "package", _("the package belongs to another assessment."))

    def _comment_consistent(self, where: str, given: dict[str, Any]) -> None:
        """A comment is on one task or one package (not both, not neither) of its own
        assessment."""
        task, package = given.get("task"), given.get("package")
        if (task is None) == (package is None):
            raise _refused(where, "task", _("a comment is on one task or on one package."))
        if task is not None and self.task_assessments.get(task) != given.get("assessment"):
            raise _refused(where, "task", _("the task belongs to another assessment."))
        if package is not None and self.package_assessments.get(package) != given.get("assessment"):
            raise _refused(where, "package", _("the package belongs to another assessment."))


def _content(values: dict[str, Any]) -> dict[str, Any]:
    """A version's fields that make its content (not when it was made)."""
    return {k: v for k, v in values.items() if k not in VERSION_UNCOMPARED}


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert the rows as they are, timestamps included (bulk_create would stamp auto_now and
    auto_now_add fields with the present time, so they are written back afterwards)."""
    if not objects:
        return
    stamped = [f for f in model._meta.concrete_fields if _stamped(f)]
    if not connection.features.can_return_rows_from_bulk_insert:
        for obj in objects:
            for f in stamped:
                if getattr(obj, f.attname) is None:  # a file without the field: now
                    setattr(obj, f.attname, timezone.now())
            obj.save_base(raw=True, force_insert=True)
        return
    kept = [[getattr(obj, f.attname) for f in stamped] for obj in objects]
    model._default_manager.bulk_create(objects)
    if stamped:
        for obj, values in zip(objects, kept, strict=True):
            for f, value in zip(stamped, values, strict=True):
                if value is not None:  # a file without the field: now
                    setattr(obj, f.attname, value)
        # The base manager: the default one of tasks and packages has none in the trash.
        model._base_manager.bulk_update(objects, [f.name for f in stamped])
