"""The 告示37号 checklist of an outsourcing package (SPEC 4.4): whether the vendor really works on
its own account, or whether the arrangement is in fact dispatch under a service contract
(偽装請負).

告示37号 (「労働者派遣事業と請負により行われる事業との区分に関する基準」, 昭和61年労働省告示第37号)
asks two things of a contractor, each of its points to be met: that it manages its own workers
(第2条第1号: イ instructions and evaluation, ロ working hours, ハ order and discipline) and that it
runs the work as its own business (第2条第2号: イ its own funds, ロ every legal responsibility of
an employer, ハ more than labour). 第2条第2号ハ is met by either of its two points: (1) its own
machinery, equipment or materials, or (2) its own planning or expertise. The two items for them
are alternatives (`Item.alternative`): a "no" to one counts against the vendor only when the other
is "no" too, and one need not be answered once the other is "yes".

The consultant answers each item yes or no for the package; an item not answered is absent.
"Yes" is the safe answer of every item. Work on the client's premises (常駐) is not in itself
unlawful, but it is where direction by the client usually starts, so the last item asks whether
the work is done at the vendor's premises. Answers stored before it was worded so (key
"on_site", "yes" meaning on the client's premises) are read as its opposite (`normalised`).

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
    alternative: str = ""  # the item that may stand in for this one (告示37号 第2条第2号ハ)
    note: Promise | str = ""  # shown under the statement


EITHER_NOTE = gettext_lazy(
    "This item or the next one is enough: 告示37号 第2条第2号ハ asks for either."
)
EITHER_NOTE_AFTER = gettext_lazy(
    "This item or the one before is enough: 告示37号 第2条第2号ハ asks for either."
)

ITEMS: tuple[Item, ...] = (
    Item(
        "instructs",
        gettext_lazy(
            "The vendor itself instructs its workers on how to do the work and evaluates it "
            "(your staff do not direct them)."
        ),
        gettext_lazy("vendor instructs its workers"),
        YES,
        gettext_lazy(
            "Your staff direct the vendor's workers: the typical state that is judged to be "
            "disguised contracting."
        ),
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
        "own_funds",
        gettext_lazy(
            "The vendor raises and pays all the funds the work needs on its own responsibility."
        ),
        gettext_lazy("own funds"),
        YES,
        gettext_lazy("The vendor does not fund the work on its own responsibility."),
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
        "own_means",
        gettext_lazy(
            "The vendor works with machinery, equipment or materials it provides at its own "
            "responsibility and cost, or uses yours under a separate contract (for example a "
            "lease)."
        ),
        gettext_lazy("own equipment and materials"),
        YES,
        gettext_lazy(
            "The vendor works neither with equipment and materials of its own nor on its own "
            "planning or expertise (告示37号 第2条第2号ハ)."
        ),
        alternative="more_than_labour",
        note=EITHER_NOTE,
    ),
    Item(
        "more_than_labour",
        gettext_lazy(
            "The vendor does the work on its own planning or its own expertise and experience, "
            "not just by supplying people."
        ),
        gettext_lazy("own planning or expertise"),
        YES,
        gettext_lazy("The vendor supplies only people: that is labour supply, not a service."),
        alternative="own_means",
        note=EITHER_NOTE_AFTER,
    ),
    Item(
        "off_site",
        gettext_lazy(
            "The work is done at the vendor's own premises (its workers are not stationed at "
            "yours, 常駐)."
        ),
        gettext_lazy("at the vendor's premises (not 常駐)"),
        YES,
        gettext_lazy(
            "The work is done on your premises (常駐): lawful only if the vendor's own "
            "supervisor is there and gives every instruction; it is where direction by your "
            "staff usually starts."
        ),
        note=gettext_lazy(
            "Not an item of 告示37号 itself: work on your premises is a risk factor to watch."
        ),
    ),
)
KEYS = tuple(item.key for item in ITEMS)
BY_KEY = {item.key: item for item in ITEMS}

# Items stored under an earlier wording: key -> (the item it now is, its answer flipped?).
# "on_site" asked whether the work is done on the client's premises, so its "yes" is "off_site"
# answered "no". Kept for the answers and the history recorded before.
LEGACY = {"on_site": ("off_site", True)}
LEGACY_SHORT = {"on_site": gettext_lazy("on your premises (常駐)")}


@dataclass(frozen=True)
class Finding:
    item: Item
    kind: str  # AGAINST: answered against the vendor's independence; UNANSWERED: not answered


def applies(model: str) -> bool:
    """Whether a package of this model has the checklist: every model but dispatch."""
    return model != "dispatch"


def normalised(answers: Mapping[str, object]) -> dict[str, object]:
    """The answers with those stored under an earlier wording (`LEGACY`) read as the item they
    now are; an answer under the current key wins."""
    given = dict(answers)
    for old, (key, flipped) in LEGACY.items():
        value = given.pop(old, None)
        if given.get(key) not in ANSWERS and value in ANSWERS:
            given[key] = (NO if value == YES else YES) if flipped else value
    return given


def cleaned(answers: Mapping[str, object]) -> dict[str, str]:
    """The answers as stored: known items answered yes or no, in the checklist's order; anything
    else (an unknown item, a blank) is left out, an earlier wording is read as it is now."""
    given = normalised(answers)
    return {key: str(given[key]) for key in KEYS if key in given and given[key] in ANSWERS}


def findings(answers: Mapping[str, object]) -> list[Finding]:
    """Each item answered against the vendor's independence, then each not answered, in the
    checklist's order. None: every item is answered in the vendor's favour. Of two alternatives
    (告示37号 第2条第2号ハ) a "no" counts against only when the other is "no" too, and one not
    answered is not asked for once the other is answered in the vendor's favour."""
    given = cleaned(answers)

    def met_by_alternative(item: Item) -> bool:
        other = BY_KEY.get(item.alternative)
        return other is not None and given.get(other.key) == other.safe

    def failed(item: Item) -> bool:
        return item.key in given and given[item.key] != item.safe

    against = [
        Finding(item, AGAINST)
        for item in ITEMS
        if failed(item) and (not item.alternative or failed(BY_KEY[item.alternative]))
    ]
    open_ = [
        Finding(item, UNANSWERED)
        for item in ITEMS
        if item.key not in given and not met_by_alternative(item)
    ]
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
        against = {item.key for item in self.against}
        return [(item, given.get(item.key, ""), item.key in against) for item in ITEMS]

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
# 労働者派遣法第40条の6第1項第5号 deems the offer only where the arrangement was made to evade
# the dispatch law (免れる目的), and not where the client neither knew nor was negligent
# (善意無過失).
CONSEQUENCE = gettext_lazy(
    "If the work is judged to be dispatch in fact (偽装請負) and the arrangement is found to have "
    "been made to evade the dispatch law, your company may be deemed to have offered "
    "employment, on the same terms, to the vendor's workers who did the work (労働者派遣法"
    "第40条の6第1項第5号, 労働契約申込みみなし制度)."
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
