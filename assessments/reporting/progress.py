"""Where an assessment stands, for the stepper on every assessment page: `workflow_facts`
gathers, in a fixed number of queries, the counts that `workflow.workflow_steps` reads. It reads
across the assessment and its vendors' bids, so it sits above both apps' models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.domain import classification as cl
from assessments.domain import staffing
from assessments.domain.choices import Confidentiality, LicensedWork, Outcome, Verdict
from assessments.domain.packages import scope_changed, scope_stamp
from assessments.domain.workflow import Facts
from assessments.models import Assessment, Package, Task, TaskResult
from assessments.models.steps import (
    Goals,
    Kpi,
    KpiActual,
    ReadinessEntry,
    ReadinessStatus,
    RfpDraft,
)
from assessments.models.versions import ReadinessItem, ReadinessVersion

SENSITIVE_TASK = Q(confidentiality__in=cl.SENSITIVE_DATA) | Q(answers__C6__in=["yes", "partly"])


def workflow_facts(assessment: Assessment) -> Facts:
    """What `workflow.workflow_steps` needs, in a fixed number of queries whatever the size of
    the assessment: the counts in one query, the packages in one, and, once vendors have been
    evaluated, their bids and certifications in two, and their packages' scopes in one once a
    quote or score is stamped with one (one more for an assessment not yet pinned to a
    readiness version). The stepper is on every assessment page: each query counts."""
    return workflow_facts_of([assessment])[assessment.pk]


def workflow_facts_of(assessments: Sequence[Assessment]) -> dict[int, Facts]:
    """`workflow_facts` of each of `assessments`, by primary key, in the queries of one: the
    portfolio home shows where each of fifty assessments stands with the stepper's own rules."""
    if not assessments:
        return {}
    published = None
    if any(assessment.readiness_version_id is None for assessment in assessments):
        published = ReadinessVersion.objects.published().values_list("pk", flat=True).first()
    here = OuterRef("pk")
    # Each assessment's readiness version, else the latest published one.
    version_id: Any = OuterRef("readiness_version_id")
    if published is not None:
        version_id = Coalesce(version_id, Value(published))
    entries = ReadinessEntry.objects.filter(assessment=here, item__version_id=version_id)
    kpis = Kpi.objects.filter(assessment=here)
    # Named apart from the assessment's own relations (tasks, kpis, …), which they would shadow.
    subqueries = {
        "n_tasks": _count(Task.objects.filter(assessment=here)),
        "n_checked": _count(
            TaskResult.objects.filter(task__assessment=here, task__deleted_at__isnull=True).exclude(
                verdict=Verdict.INCOMPLETE
            )
        ),
        "n_misplaced": _count(_misplaced(Task.objects.filter(assessment=here))),
        "goals_ranked": Exists(Goals.objects.filter(assessment=here).ranked()),
        "n_readiness_items": _count(ReadinessItem.objects.filter(version_id=version_id)),
        "n_readiness_done": _count(entries.filter(status=ReadinessStatus.DONE)),
        "n_readiness_na": _count(entries.filter(status=ReadinessStatus.NOT_APPLICABLE)),
        "n_kpis": _count(kpis),
        "n_kpis_with_actual": _count(
            kpis.filter(Exists(KpiActual.objects.filter(kpi=OuterRef("pk"))))
        ),
        # A staffing package's draft made as an RFP (before staffing requests) is not a draft
        # of its request: it must be generated again (web.rfp_views.fits).
        "n_rfp_drafts": _count(
            RfpDraft.objects.filter(
                package__assessment=here, package__deleted_at__isnull=True
            ).exclude(
                Q(package__model=Outcome.DISPATCH)
                & ~Q(sections__has_any_keys=list(staffing.SECTION_KEYS))
            )
        ),
    }
    pks = [assessment.pk for assessment in assessments]
    rows = (
        Assessment.objects.filter(pk__in=pks)
        .order_by()
        .annotate(**subqueries)
        .values("pk", *subqueries)
    )
    packages = _packages_with_eligible_vendor_of(pks)
    return {
        counts["pk"]: Facts(
            goals_ranked=counts["goals_ranked"],
            tasks=counts["n_tasks"],
            tasks_with_verdict=counts["n_checked"],
            packages=packages.get(counts["pk"], NO_PACKAGES)[0],
            packages_with_vendor=packages.get(counts["pk"], NO_PACKAGES)[1],
            misplaced_tasks=counts["n_misplaced"],
            stale_quotes=packages.get(counts["pk"], NO_PACKAGES)[2],
            readiness_items=counts["n_readiness_items"],
            readiness_done=counts["n_readiness_done"],
            readiness_not_applicable=counts["n_readiness_na"],
            kpis=counts["n_kpis"],
            kpis_with_actual=counts["n_kpis_with_actual"],
            rfp_drafts=counts["n_rfp_drafts"],
        )
        for counts in rows
    }


def _count(rows: models.QuerySet[Any]) -> Subquery:
    """The number of `rows` as a scalar subquery (COUNT without GROUP BY)."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=models.IntegerField())


def _misplaced(tasks: models.QuerySet[Task]) -> models.QuerySet[Task]:
    """Those of `tasks` in a package that no longer fits them: `packages.misfit` as SQL. A task
    fits exactly when its model (the override's, else the result's) is its package's and is to
    be put out (`packages.is_candidate`); tests/assessments/test_package_misfits.py holds the
    two equal."""
    final = Coalesce("override__model", "result__model", Value(""))
    return (
        tasks.filter(package__isnull=False)
        .alias(final=final)
        .filter(~Q(final=F("package__model")) | Q(final__in=["", Outcome.IN_HOUSE]))
    )


NO_PACKAGES = (0, 0, 0)


def _packages_with_eligible_vendor(assessment: Assessment) -> tuple[int, int, int]:
    """(packages, packages with a submitted evaluation of a vendor the knock-outs leave in,
    evaluated vendors quoted or scored for another scope of their package) of the assessment:
    `_packages_with_eligible_vendor_of` of it alone."""
    return _packages_with_eligible_vendor_of([assessment.pk]).get(assessment.pk, NO_PACKAGES)


def _packages_with_eligible_vendor_of(pks: list[int]) -> dict[int, tuple[int, int, int]]:
    """`_packages_with_eligible_vendor` of each assessment of `pks` that has packages: one
    query without packages, two without submitted evaluations, else three (four when a bid
    holds no registry entry, an old export; one more for the packages' scopes when a quote or
    score is stamped with one), whatever the number of assessments, each reading plain values.
    The knock-outs are `vendors.domain.scoring`'s own, on the same facts the ranking uses (the
    package's model, the data its tasks handle and the registrations their licensed work needs,
    all annotated on the one query of the packages; the services, certifications and licences
    valid today and the security check of the registry entry the bid holds, see
    vendors.services.registry)."""
    # vendors depends on this app's models: imported here, not at the top, to keep it one way.
    from vendors.domain import scoring
    from vendors.models import Bid, Certification, SecurityCheck, parsed_registry_facts
    from vendors.services import registry

    tasks = Task.objects.filter(package=OuterRef("pk"))
    personal = Q(confidentiality=Confidentiality.PERSONAL)
    flags = {
        "has_personal": Exists(tasks.filter(personal)),
        # Sensitive by its level or by its answer to C6 alone: confidential business data, as
        # `scoring.package_facts` reads it.
        "has_confidential": Exists(tasks.filter(SENSITIVE_TASK).exclude(personal)),
        **{f"needs_{kind}": Exists(tasks.filter(licensed_work=kind)) for kind in LicensedWork},
    }
    owners: dict[int, int] = {}  # package -> its assessment
    packages = {}
    for row in (
        Package.objects.filter(assessment_id__in=pks)
        .annotate(**flags)
        .order_by()
        .values("pk", "assessment_id", "model", *flags)
    ):
        owners[row["pk"]] = row["assessment_id"]
        packages[row["pk"]] = scoring.Package(
            row["model"],
            {
                level
                for level, flag in (
                    ("personal", "has_personal"),
                    ("confidential", "has_confidential"),
                )
                if row[flag]
            },
            {kind for kind in LicensedWork if row[f"needs_{kind}"]},
        )
    if not packages:
        return {}
    found = {pk: [0, 0, 0] for pk in set(owners.values())}
    for assessment_id in owners.values():
        found[assessment_id][0] += 1
    # A row per submitted evaluation (its scope stamp read through the filter's own join).
    rows = list(
        Bid.objects.filter(
            package__assessment_id__in=pks,
            package__deleted_at__isnull=True,  # not a package in the trash
            evaluations__submitted_at__isnull=False,
        )
        .order_by()
        .values_list(
            *("package_id", "vendor_id", "vendor__name", "vendor__services", "registry"),
            *("scope_stamp", "monthly_fee", "unit_price", "evaluations__scope_stamp"),
            "package__assessment_id",
        )
    )
    # A bid once per package and vendor, however many evaluations were submitted.
    bids = {
        (package_id, vendor_id): (name, services, parsed_registry_facts(held))
        for package_id, vendor_id, name, services, held, *_stamps in rows
    }
    if not bids:
        return {pk: (counts[0], 0, 0) for pk, counts in found.items()}
    assessment_of = {row[0]: row[-1] for row in rows}  # the packages evaluated, theirs
    for package_id, _vendor in _stale_bids_of(pks, [row[:-1] for row in rows]):
        found.setdefault(assessment_of[package_id], [0, 0, 0])[2] += 1
    live = {vendor_id for (_package, vendor_id), (*_rest, held) in bids.items() if held is None}
    certifications: dict[int, list[list[str]]] = {}
    security: dict[int, dict[str, str]] = {}
    if live:  # nothing held (an old export): the registry as it is
        for vendor_id, kind, expires_on in Certification.objects.filter(
            vendor_id__in=live
        ).values_list("vendor_id", "kind", "expires_on"):
            expires = expires_on.isoformat() if expires_on else ""
            certifications.setdefault(vendor_id, []).append([kind, expires])
        for vendor_id, item, status in SecurityCheck.objects.filter(vendor_id__in=live).values_list(
            "vendor_id", "item", "status"
        ):
            security.setdefault(vendor_id, {})[item] = status
    today = timezone.localdate()
    covered = set()
    for (package_id, vendor_id), (name, services, held) in bids.items():
        facts = held or {
            "services": services,
            "certifications": certifications.get(vendor_id, []),
            "security": security.get(vendor_id, {}),
        }
        vendor = registry.scoring_vendor(name, facts)
        if package_id in packages and not scoring.knockouts(vendor, packages[package_id], on=today):
            covered.add(package_id)
    for package_id in covered:
        found[owners[package_id]][1] += 1
    return {pk: (counts[0], counts[1], counts[2]) for pk, counts in found.items()}


def _stale_bids_of(pks: list[int], rows: list[tuple[Any, ...]]) -> set[tuple[int, int]]:
    """(package, vendor) of the bids whose quote (a monthly fee or a unit price, as
    Bid.has_quote) or a submitted evaluation was given for another scope than the package's
    tasks now: `rows` of `_packages_with_eligible_vendor_of`, of the assessments of `pks`.
    Reads the packages' tasks (one query) only when something is stamped."""
    stamps = [
        (package_id, vendor_id, quote if fee is not None or price is not None else "", scored)
        for package_id, vendor_id, *_facts, quote, fee, price, scored in rows
    ]
    if not any(quote or scored for _package, _vendor, quote, scored in stamps):
        return set()
    tasks: dict[int, list[int]] = {}
    for package_id, pk in Task.objects.filter(package__assessment_id__in=pks).values_list(
        "package_id", "pk"
    ):
        tasks.setdefault(package_id, []).append(pk)
    empty = scope_stamp([])  # a package whose every task has gone
    scopes = {package_id: scope_stamp(ids) for package_id, ids in tasks.items()}
    return {
        (package_id, vendor_id)
        for package_id, vendor_id, quote, scored in stamps
        if any(scope_changed(given, scopes.get(package_id, empty)) for given in (quote, scored))
    }
