"""A bid's state changes with their consequences: a vendor's quote and an evaluator's scores,
each saved and recorded in the assessment's history in one transaction (savepoint=False: within
a page's own transaction it adds no query). Pages go through these; an evaluation file goes
through `selection.import_evaluations`, which records the file as one event."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from assessments.models import Assessment
from assessments.models.versions import VendorCriterion
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType
from vendors.models import Bid, Evaluation


@transaction.atomic(savepoint=False)
def save_quote(actor: Any, bid: Bid, before: dict[str, Any], assessment: Assessment) -> Bid:
    """A bid whose quote was edited in memory, saved and recorded as it differs from `before`
    (its `history.snapshot` of the quote's fields before the edit)."""
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


def score_values(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation's scores and comments by criterion, for the history."""
    values: dict[str, Any] = {}
    for key in VendorCriterion.values:
        values[key] = evaluation.scores.get(key)
        values[f"comment_{key}"] = evaluation.comments.get(key, "")
    values["general"] = evaluation.comments.get("general", "")
    return values
