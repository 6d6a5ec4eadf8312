"""What keeps a sourcing package true to its tasks (SPEC 4.5). Pure: no database, no request.

A task belongs in a package of its model: the consultant's override if there is one, else the
recommendation. After an override, a move to newer versions or an inventory change, a task may
no longer fit its package: its model is now another (`model_changed`; dispatch in an outsourcing
package or the reverse is one too, the kinds never mix), or it is no longer to be put out at all
(`not_candidate`: now in-house, core, or its check incomplete). Each such task has one suggested
fix: move it to a package of its model, create that package when there is none, or take it out.
Quotes and scores are stamped with the package's scope (`scope_stamp`) when they are given, so
that those given for another scope are marked "scope changed since the quote"."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from assessments.domain import choices
from assessments.domain.choices import Outcome, Verdict


def scope_stamp(task_ids: Iterable[int]) -> str:
    """The package's scope as a short fingerprint of its tasks: a quote or a score given for
    one scope is marked "scope changed since the quote" once the package holds other tasks."""
    joined = ",".join(str(pk) for pk in sorted(task_ids))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def scope_changed(stamp: str, scope: str) -> bool:
    """Whether something stamped `stamp` was given for another scope than `scope`. An empty
    stamp (given before scopes were stamped) is never flagged: nothing is known of it."""
    return bool(stamp) and stamp != scope


def is_candidate(model: str) -> bool:
    """Whether a task of this model (the override's, else the recommendation's) is to be put
    out: every model but in-house, dispatch included (to a staffing package); none ("") while
    the check is incomplete. `Assessment.create_packages` packages exactly these."""
    return bool(model) and model != Outcome.IN_HOUSE


class Problem(StrEnum):
    MODEL_CHANGED = "model_changed"  # to be put out, under another model than the package's
    NOT_CANDIDATE = "not_candidate"  # no longer to be put out


class Why(StrEnum):
    """Why a task is no longer to be put out."""

    IN_HOUSE = "in_house"  # its model is in-house
    CORE = "core"  # its verdict is core (and it stays in-house)
    INCOMPLETE = "incomplete"  # its check is incomplete: no model yet


@dataclass(frozen=True)
class Misfit:
    problem: Problem
    model: str  # the task's model now ("" for none)
    package_model: str
    why: Why | None = None  # not_candidate only

    @property
    def kinds_apart(self) -> bool:
        """Dispatch in an outsourcing package, or the reverse: a staffing request and an RFP
        ask for different things, so the task cannot stay even for a while."""
        return choices.is_staffing(self.model) != choices.is_staffing(self.package_model)


def misfit(model: str, verdict: str, package_model: str) -> Misfit | None:
    """What is wrong with a task of `model` and `verdict` sitting in a package of
    `package_model` (None: it fits)."""
    if not is_candidate(model):
        why = Why.INCOMPLETE if not model else Why.CORE if verdict == Verdict.CORE else Why.IN_HOUSE
        return Misfit(Problem.NOT_CANDIDATE, model, package_model, why)
    if model != package_model:
        return Misfit(Problem.MODEL_CHANGED, model, package_model)
    return None


class Action(StrEnum):
    MOVE = "move"  # to the package of the task's model
    CREATE = "create"  # a package of the task's model, then move it there
    REMOVE = "remove"  # out of the package: "not in a package"


@dataclass(frozen=True)
class Fix:
    action: Action
    model: str = ""  # move, create: the task's model
    target: int | None = None  # move: the package's id

    @property
    def key(self) -> str:
        """The fix as a form carries it: "move:12", "create:kpo", "remove"."""
        if self.action == Action.MOVE:
            return f"move:{self.target}"
        if self.action == Action.CREATE:
            return f"create:{self.model}"
        return str(self.action)


def fix_for(found: Misfit, packages: Sequence[tuple[int, str]]) -> Fix:
    """The one-step fix of a misfit: out of the package when the task is no longer to be put
    out; else into the first package of its model (`packages`: (id, model) of the assessment's
    packages, in their order), or into a new one of its model when there is none."""
    if found.problem == Problem.NOT_CANDIDATE:
        return Fix(Action.REMOVE)
    target = next((pk for pk, model in packages if model == found.model), None)
    if target is None:
        return Fix(Action.CREATE, found.model)
    return Fix(Action.MOVE, found.model, target)


@dataclass(frozen=True)
class Placed:
    """A task in a package, as the check reads it."""

    task_id: int
    package_id: int
    model: str  # the override's, else the recommendation's ("" for none)
    verdict: str  # "" when not checked


@dataclass(frozen=True)
class Flag:
    task_id: int
    package_id: int
    misfit: Misfit
    fix: Fix


def flags(placed: Iterable[Placed], packages: Sequence[tuple[int, str]]) -> list[Flag]:
    """Every placed task that no longer fits its package, with its fix, in the order given.
    `packages`: (id, model) of every package of the assessment, in their order."""
    models = dict(packages)
    found = []
    for task in placed:
        wrong = misfit(task.model, task.verdict, models.get(task.package_id, ""))
        if wrong is not None:
            found.append(Flag(task.task_id, task.package_id, wrong, fix_for(wrong, packages)))
    return found


def fixes_stamp(found: Iterable[Flag]) -> str:
    """The fixes a page offered, as its form carries them: applying them is refused when the
    fixes found now are others (a task moved, overridden or checked again meanwhile)."""
    joined = ";".join(sorted(f"{flag.task_id}:{flag.package_id}:{flag.fix.key}" for flag in found))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


# --- in words ------------------------------------------------------------------------------------


def misfit_words(found: Misfit) -> str:
    """Why the task no longer fits its package, in the reader's language."""
    labels = {
        "model": choices.label(Outcome, found.model),
        "package": choices.label(Outcome, found.package_model),
    }
    if found.why == Why.INCOMPLETE:
        return _("Its check is incomplete: it has no model and is not to be put out yet.")
    if found.why == Why.CORE:
        return _("Now core: it stays in-house.")
    if found.why == Why.IN_HOUSE:
        return _("Now in-house: it is no longer to be put out.")
    if found.kinds_apart and choices.is_staffing(found.model):
        return (
            _(
                "Now %(model)s, external staffing: it cannot stay in an outsourcing package "
                "(%(package)s)."
            )
            % labels
        )
    if found.kinds_apart:
        return (
            _("Now %(model)s, outsourcing: it cannot stay in a staffing package (%(package)s).")
            % labels
        )
    return _("Now %(model)s, but the package is %(package)s.") % labels


def fix_words(fix: Fix, target_name: str = "") -> str:
    """The fix as its button says it; `target_name`: the package a move goes to."""
    if fix.action == Action.MOVE:
        return _("Move to “%(package)s”") % {"package": target_name}
    if fix.action == Action.CREATE:
        return _("Create a %(model)s package and move it there") % {
            "model": choices.label(Outcome, fix.model)
        }
    return _("Take it out of the package")
