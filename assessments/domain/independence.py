"""The 告示37号 checklist of an outsourcing package (SPEC 4.4): whether the vendor really works on
its own account, or whether the arrangement is in fact dispatch under a service contract
(偽装請負).

告示37号 (「労働者派遣事業と請負により行われる事業との区分に関する基準」, 昭和61年労働省告示第37号)
asks two things of a contractor: that it manages its own workers (第2条第1号: instructions and
evaluation, working hours, order and discipline) and that it runs the work as its own business
(第2条第2号: its own funds, its own legal responsibility, more than labour: its own equipment or
its own expertise). The consultant answers each item yes or no for the package; an item not
answered is absent. Work on the client's premises (常駐) is not in itself unlawful, but it is
where direction by the client usually starts, so "yes" there is a finding too.

Pure: the items are data, `findings` turns answers into what the package and the report warn of.
Dispatch packages have no checklist: under dispatch the client directs the staff lawfully."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

YES, NO = "yes", "no"
ANSWERS = (YES, NO)
AGAINST, UNANSWERED = "against", "unanswered"


@dataclass(frozen=True)
class Item:
    key: str
    text: Promise  # the statement the consultant answers
    short: Promise  # a few words, for lists and the history
    safe: str  # the answer that supports the vendor's independence
    risk: Promise  # what the other answer means


ITEMS: tuple[Item, ...] = (
    Item(
        "instructs",
        gettext_lazy(
            "The vendor itself instructs its workers on how to do the work and evaluates it "
            "(your staff do not direct them)."
        ),
        gettext_lazy("vendor instructs its workers"),
        YES,
        gettext_lazy("Your staff direct the vendor's workers: the core of disguised contracting."),
    ),
    Item(
        "manages_hours",
        gettext_lazy(
            "The vendor sets and manages its workers' working hours, attendance, overtime and "
            "evaluation."
        ),
        gettext_lazy("vendor manages hours and attendance"),
        YES,
        gettext_lazy("Your company manages the workers' time or evaluation as an employer would."),
    ),
    Item(
        "keeps_order",
        gettext_lazy(
            "The vendor keeps its own order and discipline: it decides who works on the package "
            "and sets its workers' rules of conduct."
        ),
        gettext_lazy("vendor keeps order and discipline"),
        YES,
        gettext_lazy("Your company chooses the workers or sets their discipline."),
    ),
    Item(
        "own_means",
        gettext_lazy(
            "The vendor works with its own equipment, materials and funds, or uses yours under "
            "a separate contract (for example a lease)."
        ),
        gettext_lazy("own equipment and funds"),
        YES,
        gettext_lazy(
            "The vendor works with your equipment and funds without a contract of its own."
        ),
    ),
    Item(
        "own_responsibility",
        gettext_lazy(
            "The vendor takes responsibility for the work under its own contract, as the "
            "employer and party liable for defects and damage."
        ),
        gettext_lazy("responsibility under its own contract"),
        YES,
        gettext_lazy("The vendor does not answer for the result as a business of its own."),
    ),
    Item(
        "more_than_labour",
        gettext_lazy(
            "The vendor provides more than labour: its own expertise, methods or planning, not "
            "just people."
        ),
        gettext_lazy("more than labour"),
        YES,
        gettext_lazy("The vendor supplies only people: that is labour supply, not a service."),
    ),
    Item(
        "on_site",
        gettext_lazy("The work is done on your premises (常駐)."),
        gettext_lazy("on your premises (常駐)"),
        NO,
        gettext_lazy(
            "Work on your premises is lawful only if the vendor's own supervisor is there and "
            "gives every instruction; it is where direction by your staff usually starts."
        ),
    ),
)
KEYS = tuple(item.key for item in ITEMS)
BY_KEY = {item.key: item for item in ITEMS}


@dataclass(frozen=True)
class Finding:
    item: Item
    kind: str  # AGAINST: answered against the vendor's independence; UNANSWERED: not answered


def applies(model: str) -> bool:
    """Whether a package of this model has the checklist: every model but dispatch."""
    return model != "dispatch"


def cleaned(answers: Mapping[str, object]) -> dict[str, str]:
    """The answers as stored: known items answered yes or no, in the checklist's order; anything
    else (an unknown item, a blank) is left out."""
    return {key: str(answers[key]) for key in KEYS if key in answers and answers[key] in ANSWERS}


def findings(answers: Mapping[str, object]) -> list[Finding]:
    """Each item answered against the vendor's independence, then each not answered, in the
    checklist's order. None: every item is answered in the vendor's favour."""
    given = {key: answers.get(key) for key in KEYS}
    against = [
        Finding(item, AGAINST)
        for item in ITEMS
        if given[item.key] in ANSWERS and given[item.key] != item.safe
    ]
    open_ = [Finding(item, UNANSWERED) for item in ITEMS if given[item.key] not in ANSWERS]
    return against + open_


@dataclass(frozen=True)
class Review:
    """A package's checklist with what its tasks say: tasks done on the client's premises and
    tasks needing day-to-day instructions from the client's staff (task names)."""

    findings: tuple[Finding, ...]
    on_site_tasks: tuple[str, ...] = ()
    instructed_tasks: tuple[str, ...] = ()
    answers: tuple[tuple[str, str], ...] = ()  # (item key, "yes" | "no"), as stored

    @property
    def lines(self) -> list[tuple[Item, str, bool]]:
        """Every item with its answer ("" while open) and whether it is against independence."""
        given = dict(self.answers)
        return [
            (item, given.get(item.key, ""), given.get(item.key, item.safe) != item.safe)
            for item in ITEMS
        ]

    @property
    def against(self) -> list[Item]:
        return [f.item for f in self.findings if f.kind == AGAINST]

    @property
    def unanswered(self) -> list[Item]:
        return [f.item for f in self.findings if f.kind == UNANSWERED]

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def warns(self) -> bool:
        """Something to warn of: an answer against independence, or a task on the premises or
        directed by the client."""
        return bool(self.against or self.on_site_tasks or self.instructed_tasks)

    @property
    def clear(self) -> bool:
        """Every item answered in the vendor's favour and no task against it: the only state in
        which the package may be said to show no sign of disguised contracting."""
        return self.complete and not self.warns

    @property
    def consequences(self) -> list[Promise]:
        """What to state with a warning: the deemed offer of employment whenever something
        warns, labour supply (職業安定法第44条) where an item points to it."""
        if not self.warns:
            return []
        words: list[Promise] = [CONSEQUENCE]
        if any(item.key in LABOUR_SUPPLY_ITEMS for item in self.against):
            words.append(SUPPLY_CONSEQUENCE)
        return words


def review(
    answers: Mapping[str, object],
    on_site_tasks: Sequence[str] = (),
    instructed_tasks: Sequence[str] = (),
) -> Review:
    return Review(
        tuple(findings(answers)),
        tuple(on_site_tasks),
        tuple(instructed_tasks),
        tuple(cleaned(answers).items()),
    )


# The consequence of a finding, stated once wherever one is shown.
CONSEQUENCE = gettext_lazy(
    "If the arrangement is in fact dispatch, it is disguised contracting (偽装請負): under "
    "労働者派遣法第40条の6 (労働契約申込みみなし制度) your company is deemed to have offered "
    "employment, on the same terms, to the vendor's workers who did the work."
)
SUPPLY_CONSEQUENCE = gettext_lazy(
    "Where the workers are supplied only as labour, or through a further company, it is also "
    "labour supply, which 職業安定法第44条 forbids to the party receiving it as well."
)
# Items whose answer against independence points to labour supply (職業安定法第44条) too.
LABOUR_SUPPLY_ITEMS = frozenset({"more_than_labour", "own_responsibility"})


def consequences(found: Review) -> list[Promise]:
    """The consequences to state for a package's review: the deemed offer of employment whenever
    something warns, labour supply where an item points to it."""
    return found.consequences
