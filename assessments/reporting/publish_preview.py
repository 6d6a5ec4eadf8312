"""Before a draft is published (issue 18, SPEC 4.4 "a replay"): what would change for the
assessments that use the newest published version of its kind if they were moved to the draft,
and what the draft changes in the version itself, in words. Computed in memory with
`Assessment.version_changes` and worded with `version_words`, as the versions page of an
assessment does: nothing is saved, and publishing itself changes no assessment until a
consultant moves it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from assessments.models import Assessment
from assessments.models.assessment import PinnedVersions, versions_diff
from assessments.models.steps import ReadinessEntry, readiness_version_of
from assessments.models.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    RuleTableVersion,
    Version,
)
from assessments.reporting.version_words import (
    MoveGroup,
    Versions,
    criteria_words,
    move_groups,
    readiness_words,
    rule_words,
    threshold_words,
    weight_words,
)

# Each kind of version: its place among an assessment's pinned versions, and the field of the
# assessment that pins it.
PLACES: dict[type[Version], tuple[str, str]] = {
    ChecklistVersion: ("checklist", "checklist_version"),
    RuleTableVersion: ("rules", "rule_version"),
    EvaluationVersion: ("evaluation", "evaluation_version"),
    ReadinessVersion: ("readiness", "readiness_version"),
}


@dataclass(frozen=True)
class AssessmentReplay:
    """One assessment that would change if it were moved to the draft."""

    assessment: Assessment
    groups: list[MoveGroup]  # the tasks whose verdict or recommended model changes, and why
    changed_tasks: int
    verdicts: int
    models: int
    dropped_readiness: list[ReadinessEntry]  # entries whose item the draft no longer has


@dataclass(frozen=True)
class Preview:
    draft: Version
    latest: Version | None  # the newest published version of the kind: what is compared
    using_latest: int  # assessments pinned to it: those replayed
    using_older: int  # assessments pinned to an older one (moving them changes more)
    replays: list[AssessmentReplay]  # those of the replayed that would change
    changes: list[str]  # what the draft changes in the version, in words

    @property
    def assessments(self) -> int:
        """Assessments with at least one task whose verdict or recommended model changes."""
        return sum(1 for replay in self.replays if replay.changed_tasks)

    @property
    def tasks(self) -> int:
        return sum(replay.changed_tasks for replay in self.replays)

    @property
    def dropped_readiness(self) -> int:
        return sum(len(replay.dropped_readiness) for replay in self.replays)

    @property
    def verdicts(self) -> int:
        return sum(replay.verdicts for replay in self.replays)

    @property
    def models(self) -> int:
        return sum(replay.models for replay in self.replays)

    def summary(self) -> str:
        """「公開すると、12件の検討で38件の作業の判定または推奨区分が変わります」, or that none
        would."""
        if not self.tasks:
            return _("If you publish it, no task of the assessments using %(version)s changes.") % {
                "version": self.latest
            }
        return _(
            "If you publish it, %(tasks)s in %(assessments)s change their verdict or "
            "recommended model."
        ) % {
            "tasks": npgettext("publish preview", "%(count)s task", "%(count)s tasks", self.tasks)
            % {"count": self.tasks},
            "assessments": npgettext(
                "publish preview",
                "%(count)s assessment",
                "%(count)s assessments",
                self.assessments,
            )
            % {"count": self.assessments},
        }


def pinned(assessment: Assessment) -> PinnedVersions:
    """The assessment's versions; its readiness checklist the newest until its first entry."""
    found = assessment.pinned_versions()
    return dataclasses.replace(found, readiness=readiness_version_of(assessment))


def preview(draft: Version) -> Preview:
    model = type(draft)
    place, field = PLACES[model]
    latest = model.objects.latest_published()
    if latest is None:
        return Preview(draft, None, 0, 0, [], [])
    using = Q(**{field: latest})
    if model is ReadinessVersion:  # without an entry yet, an assessment reads the newest
        using |= Q(readiness_version__isnull=True)
    assessments = Assessment.objects.select_related(
        "organisation", "checklist_version", "rule_version", "evaluation_version"
    ).order_by("organisation__name", "name", "pk")
    replayed = list(assessments.filter(using))
    older = assessments.exclude(using).filter(**{f"{field}__isnull": False}).count()
    replays = [replay for a in replayed if (replay := _replay(a, place, draft)) is not None]
    return Preview(draft, latest, len(replayed), older, replays, _draft_words(latest, draft))


def _replay(assessment: Assessment, place: str, draft: Version) -> AssessmentReplay | None:
    """What moving the assessment to the draft (its other versions as pinned) would change;
    None when nothing would (or when it has no checklist or rule table to move)."""
    before = pinned(assessment)
    after = dataclasses.replace(before, **{place: draft})
    if after.checklist is None or after.rules is None:
        return None
    found = assessment.version_changes(
        after.checklist,
        after.rules,
        after.evaluation if place == "evaluation" else None,
        after.readiness if place == "readiness" else None,
    )
    if not found.tasks and not found.dropped_readiness:
        return None
    versions = Versions.read((before.checklist, after.checklist), (before.rules, after.rules))
    tasks = found.tasks
    return AssessmentReplay(
        assessment,
        move_groups(found, versions, assessment.volume_settings),
        changed_tasks=len(tasks),
        verdicts=sum(c.before.verdict != c.after.verdict for _t, c in tasks),
        models=sum(c.before.model != c.after.model for _t, c in tasks),
        dropped_readiness=found.dropped_readiness,
    )


def _draft_words(latest: Version, draft: Version) -> list[str]:
    """What the draft changes against the newest published version of its kind, in words."""
    place = PLACES[type(draft)][0]
    newest = PinnedVersions(
        ChecklistVersion.objects.latest_published(),
        RuleTableVersion.objects.latest_published(),
        EvaluationVersion.objects.latest_published(),
        ReadinessVersion.objects.latest_published(),
    )
    before = dataclasses.replace(newest, **{place: latest})
    after = dataclasses.replace(newest, **{place: draft})
    diff = versions_diff(before, after)
    if place == "evaluation":
        return weight_words(diff)
    if place == "readiness":
        return readiness_words(diff.readiness, before.readiness, after.readiness)
    if before.checklist is None or after.checklist is None:
        return []
    rules: Any = (before.rules, after.rules)
    versions = Versions.read((before.checklist, after.checklist), rules)
    if place == "rules":
        return rule_words(diff.rules, versions)
    return criteria_words(diff.criteria, versions) + threshold_words(
        before.checklist, after.checklist
    )
