"""A bid's state changes with their consequences: a vendor's quote and an evaluator's scores,
each saved and recorded in the assessment's history in one transaction (savepoint=False: within
a page's own transaction it adds no query). Pages go through these; an evaluation file goes
through `selection.import_evaluations`, which records the file as one event.

A quote and scores are stamped with the package's scope (its tasks, `Package.scope_of`) when
they are saved: once the package holds other tasks they are marked "scope changed since the
quote" (selection.BidLine) until a consultant confirms them (`confirm_scope`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from assessments.domain import packages as sourcing
from assessments.models import Assessment, Package, Task
from assessments.models.assessment import NAMED_TASKS
from assessments.models.versions import VendorCriterion
from outsourcing_advisor.common.stamps import locking
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType
from vendors.models import Bid, Evaluation


@transaction.atomic(savepoint=False)
def save_quote(actor: Any, bid: Bid, before: dict[str, Any], assessment: Assessment) -> Bid:
    """A bid whose quote was edited in memory, saved and recorded as it differs from `before`
    (its `history.snapshot` of the quote's fields before the edit), for the package's tasks as
    they are now."""
    bid.scope_stamp = Package.scope_of(bid.package_id)
    bid.save()
    history.record_change(actor, SubjectType.QUOTE, bid, before, assessment=assessment)
    return bid


@transaction.atomic(savepoint=False)
def save_scores(
    actor: Any,
    evaluation: Evaluation,
    scores: dict[str, int | None],
    comments: dict[str, str],
    *,
    submit: bool,
    assessment: Assessment,
) -> Evaluation:
    """An evaluator's scores and comments saved (a draft, or submitted) and recorded: created,
    changed, or submitted the first time it is."""
    before = score_values(evaluation)
    was_submitted, is_new = evaluation.submitted, evaluation.pk is None
    # Given for the package's tasks as they are now.
    evaluation.scope_stamp = sourcing.scope_stamp(
        Task.objects.filter(package__bids=evaluation.bid_id).values_list("pk", flat=True)
    )
    evaluation.record(scores, comments, submit=submit)
    action = (
        Action.SUBMITTED
        if evaluation.submitted and not was_submitted
        else Action.CREATED
        if is_new
        else Action.CHANGED
    )
    history.record(
        actor,
        SubjectType.SCORE,
        evaluation,
        action,
        changes=history.field_changes(before, score_values(evaluation)),
        details={"bid": evaluation.bid_id},
        assessment=assessment,
    )
    return evaluation


@transaction.atomic(savepoint=False)
def confirm_scope(bid: Bid, user: Any) -> bool:
    """A consultant confirms the quote and the scores of a bid for its package's tasks as they
    are now: the bid and its evaluations are stamped with the scope, and the history records it
    with the tasks the scope holds. Leaves the quote's and the scores' `updated_at` alone: they
    stamp the forms, which this does not change. Returns whether anything was to confirm (a
    second click records nothing)."""
    package = bid.package
    tasks = list(Task.objects.filter(package=package).values_list("pk", "task"))
    scope = sourcing.scope_stamp(pk for pk, _name in tasks)
    # As stored now (locked until the end of the transaction), not as the caller read them.
    stored = locking(Bid.objects.filter(pk=bid.pk)).values_list("scope_stamp", flat=True).get()
    stamps = [stored, *Evaluation.objects.filter(bid=bid).values_list("scope_stamp", flat=True)]
    if not any(sourcing.scope_changed(stamp, scope) for stamp in stamps):
        return False
    Bid.objects.filter(pk=bid.pk).update(scope_stamp=scope)
    Evaluation.objects.filter(bid=bid).update(scope_stamp=scope)
    bid.scope_stamp = scope
    names = [name for _pk, name in tasks]
    history.record(
        user,
        SubjectType.QUOTE,
        bid,
        Action.CONFIRMED,
        details={"tasks": names[:NAMED_TASKS], "count": len(names)},
        assessment=package.assessment,
    )
    return True


def score_values(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation's scores and comments by criterion, for the history."""
    values: dict[str, Any] = {}
    for key in VendorCriterion.values:
        values[key] = evaluation.scores.get(key)
        values[f"comment_{key}"] = evaluation.comments.get(key, "")
    values["general"] = evaluation.comments.get("general", "")
    return values
