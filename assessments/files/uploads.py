"""An uploaded inventory file on its way in (SPEC 4.2.1): read with the decisions taken so far,
matched with the organisation's mapping profile, previewed against the inventory.

The reading itself is pure (`reading.read`); this module joins it to the records: the pending
upload that holds the bytes and the decisions, the profiles, the assessment's tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from assessments.domain import choices, inventory, sync
from assessments.domain.columns import COLUMNS_BY_KEY
from assessments.files.decisions import Decisions
from assessments.files.reading import Reading, read
from assessments.models import Assessment, MappingProfile, PendingUpload
from outsourcing_advisor.accounts.models import Organisation


def read_upload(upload: PendingUpload, assessment: Assessment) -> Reading:
    """The pending file read with its decisions and the organisation's working days and hours.
    Raises ImportRejected when the file cannot be read at all (the limits may have changed)."""
    return read(
        bytes(upload.content),
        upload.filename,
        Decisions.from_json(upload.decisions),
        assessment.volume_settings,
    )


def start_upload(assessment: Assessment, user: Any, file: Any) -> PendingUpload:
    """Keep an uploaded file on its way in, read once to refuse at once what cannot be read,
    with the organisation's mapping for these headers if it has one. One pending file per person
    and assessment: an abandoned one is replaced, not kept forever."""
    data = file.read()
    org = assessment.organisation
    reading = read(data, file.name, Decisions(), assessment.volume_settings)
    profile = profile_for(org, reading)
    PendingUpload.objects.filter(assessment=assessment, uploaded_by=user).delete()
    return PendingUpload.objects.create(
        assessment=assessment,
        uploaded_by=user,
        filename=file.name[:255],
        content=data,
        decisions=profile.decisions if profile else {},
        profile=profile,
    )


def decide(
    upload: PendingUpload,
    assessment: Assessment,
    decisions: Decisions,
    user: Any,
    profile_name: str = "",
) -> None:
    """Record the person's decisions on the upload, and save them as the organisation's mapping
    under `profile_name` when one is given."""
    upload.decisions = decisions.as_json()
    upload.save(update_fields=["decisions"])
    if profile_name:
        reading = read_upload(upload, assessment)
        upload.profile = save_profile(
            assessment.organisation, profile_name, reading, decisions, user
        )
        upload.save(update_fields=["profile"])


SAMPLE_ROWS = 5


def sample(
    upload: PendingUpload, assessment: Assessment, decisions: Decisions
) -> tuple[Reading, list[Line]]:
    """The file read with decisions not yet saved, and its first tasks with the annual hours
    they give: what the mapping step shows while the person chooses units and columns."""
    reading = read(bytes(upload.content), upload.filename, decisions, assessment.volume_settings)
    return reading, first_lines(reading, assessment)


def first_lines(reading: Reading, assessment: Assessment) -> list[Line]:
    org = assessment.volume_settings
    return [_line(row, org, row.get("source_row")) for row in reading.rows[:SAMPLE_ROWS]]


def headers_of(reading: Reading) -> str:
    """What a profile is matched by: the table's folded headers, in order."""
    return "|".join(column.signature for column in reading.columns)


def profile_for(organisation: Organisation, reading: Reading) -> MappingProfile | None:
    """The organisation's latest profile made for these very headers."""
    return organisation.mapping_profiles.filter(headers=headers_of(reading)).first()


def save_profile(
    organisation: Organisation, name: str, reading: Reading, decisions: Decisions, user: Any
) -> MappingProfile:
    """Save (or replace, by name) the decisions a later upload with these headers can reuse."""
    profile, _created = MappingProfile.objects.update_or_create(
        organisation=organisation,
        name=name.strip()[:100],
        defaults={
            "headers": headers_of(reading),
            "decisions": decisions.for_profile().as_json(),
            "created_by": user,
        },
    )
    return profile


@dataclass(frozen=True)
class Line:
    """A task as the preview lists it."""

    department: str
    process: str
    task: str
    category: str
    annual_hours: Decimal | None
    row: int | None = None  # the file's row
    fields: tuple[str, ...] = ()  # what changes, for a changed task


@dataclass
class Preview:
    plan: sync.Plan
    added: list[Line]
    changed: list[Line]
    removed: list[Line]
    kept: int
    hours_before: Decimal
    hours_after: Decimal
    warnings: list[inventory.Implausible] = field(default_factory=list)

    @property
    def needs_confirmation(self) -> bool:
        """Removing tasks (with their answers and overrides) is asked before it happens."""
        return bool(self.plan.remove)


def preview(assessment: Assessment, reading: Reading, *, replace: bool) -> Preview:
    """What importing the reading would change, with each task's annual hours, the inventory's
    total before and after, and the plausibility warnings of the result (SPEC 4.2)."""
    org = assessment.volume_settings
    existing = assessment.existing_tasks()
    plan = sync.plan(existing, reading.rows, reading.provided, replace)
    by_id = {task.id: task for task in existing}
    derived_by_id = {task.id: _derive(task.values, org) for task in existing}
    added = [_line(row, org, row.get("source_row")) for row in plan.add]
    changed = []
    after: list[inventory.Derived] = [_derive(row, org) for row in plan.add]
    for change in plan.change:
        values = by_id[change.id].values | {
            k: v for k, v in change.values.items() if k in sync.UPDATABLE
        }
        labels = tuple(str(_label(name)) for name in change.fields)
        changed.append(_line(values, org, change.values.get("source_row"), labels))
        after.append(_derive(values, org))
    after += [derived_by_id[i] for i in plan.same + plan.keep]
    removed = [_line(by_id[i].values, org, None) for i in plan.remove]
    before_total = inventory.derived_totals(derived_by_id.values()).annual_hours
    after_total = inventory.derived_totals(after).annual_hours
    return Preview(
        plan=plan,
        added=added,
        changed=changed,
        removed=removed,
        kept=len(plan.keep),
        hours_before=before_total,
        hours_after=after_total,
        warnings=_warnings(assessment, reading, after, org),
    )


def _label(name: str) -> Any:
    return COLUMNS_BY_KEY[name].label if name in COLUMNS_BY_KEY else _("check answers")


@dataclass(frozen=True)
class Inferred:
    department: str
    category: str  # its label
    tasks: int
    defaulted: bool  # set from a default the person chose, not from the names


def inferred_categories(reading: Reading) -> list[Inferred]:
    """The categories the import set (from the names, or from the defaults chosen), grouped by
    department and category, for the person to confirm."""
    counts: dict[tuple[str, str, bool], int] = {}
    for row in reading.rows:
        source = row["source_row"]
        if source in reading.assembled.inferred or source in reading.assembled.defaulted:
            key = (row["department"], row["category"], source in reading.assembled.defaulted)
            counts[key] = counts.get(key, 0) + 1
    return [
        Inferred(department, choices.label(choices.Category, category), count, defaulted)
        for (department, category, defaulted), count in counts.items()
    ]


def _volume(values: dict[str, Any]) -> inventory.Volume:
    hourly = values.get("hourly_cost")
    return inventory.Volume(
        frequency=values.get("frequency") or "",
        occurrences=values.get("occurrences"),
        minutes=values.get("minutes"),
        people=values.get("people"),
        hourly_cost=Decimal(hourly) if hourly is not None else None,
        people_able=values.get("people_able"),
        days_per_year=values.get("days_per_year"),
        stated_hours=values.get("annual_hours"),
    )


def _derive(values: dict[str, Any], org: inventory.OrgSettings) -> inventory.Derived:
    return inventory.derive(_volume(values), org)


def _line(
    values: dict[str, Any],
    org: inventory.OrgSettings,
    row: int | None,
    fields: tuple[str, ...] = (),
) -> Line:
    return Line(
        values["department"],
        values["process"],
        values["task"],
        values.get("category") or "",
        _derive(values, org).annual_hours,
        row,
        fields,
    )


def _warnings(
    assessment: Assessment,
    reading: Reading,
    after: list[inventory.Derived],
    org: inventory.OrgSettings,
) -> list[inventory.Implausible]:
    return inventory.plausibility(
        [(row["task"], row.get("minutes")) for row in reading.rows],
        inventory.derived_totals(after).annual_hours,
        assessment.organisation.indirect_headcount,
        org,
    )
