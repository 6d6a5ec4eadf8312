"""The administrators' area (issue 18): what site administrators edit, in the product's look.

Each kind of version (the checklist, the decision table, the vendor criteria, the readiness
checklist) is changed in a draft copied from a published version, then published after a
preview of what it would change for the assessments using the newest version (a replay:
nothing changes until a consultant moves an assessment). The drafts' changes are made and
recorded by assessments/models/drafts.py. The decision table's own editor is
rule_editor_views.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.models import Assessment
from assessments.models.drafts import (
    NO_CHANGE,
    VERSION_SUBJECTS,
    DraftChanged,
    discard_draft,
    draft_events,
    draft_stamp,
    publish_draft,
    publish_stamp,
    save_draft,
    start_draft,
    unchanged,
)
from assessments.models.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    RuleTableVersion,
    Status,
    Version,
)
from assessments.reporting.publish_preview import PLACES, preview
from assessments.web.access import administrators_only
from assessments.web.administration_forms import (
    ChecklistDraftForm,
    CriterionFormSet,
    EvaluationDraftForm,
    PublishForm,
    ReadinessDraftForm,
    ReadinessItemFormSet,
    WeightsForm,
    named_errors,
)
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.stamps import atomic_post
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history.models import Action, Event


@dataclass(frozen=True)
class Kind:
    """A kind of version as the area shows it: its address, its model and its name."""

    slug: str
    model: type[Version]
    title: Promise
    rows: Promise  # what its rows are called ("questions")


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("checklist", ChecklistVersion, gettext_lazy("Checklist"), gettext_lazy("questions")),
        Kind(
            "decision-table",
            RuleTableVersion,
            gettext_lazy("Decision table"),
            gettext_lazy("rules"),
        ),
        Kind(
            "vendor-criteria",
            EvaluationVersion,
            gettext_lazy("Vendor criteria"),
            gettext_lazy("weights"),
        ),
        Kind(
            "readiness",
            ReadinessVersion,
            gettext_lazy("Readiness checklist"),
            gettext_lazy("items"),
        ),
    )
}
KIND_OF = {kind.model: kind for kind in KINDS.values()}

DRAFT_CHANGED = gettext_lazy(
    "Someone else changed this draft since you opened it: nothing was saved. The draft is "
    "shown as it is now; make your changes again."
)


def get_kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def get_draft(kind: Kind, pk: int) -> Version:
    """A draft of the kind (a published version is never edited: 404)."""
    draft: Version = get_object_or_404(kind.model.objects.filter(status=Status.DRAFT), pk=pk)
    return draft


def draft_url(kind: Kind, draft: Version) -> str:
    """Where a draft is edited: the decision table in its own editor (rule_editor_views.py),
    which also shows its published versions."""
    if kind.model is RuleTableVersion:
        return reverse("administration_rules_draft", args=[draft.pk])
    return reverse("administration_draft", args=[kind.slug, draft.pk])


def kind_url(kind: Kind) -> str:
    """The page of a kind's versions: the decision table's is its editor's."""
    if kind.model is RuleTableVersion:
        return reverse("administration_rules")
    return reverse("administration_versions", args=[kind.slug])


# --- the versions of each kind ------------------------------------------------------------------


def kind_summary(kind: Kind) -> dict[str, Any]:
    """The kind's published versions (newest first), each with how many assessments use it,
    and its drafts."""
    field = PLACES[kind.model][1]
    counts = dict(
        Assessment.objects.order_by()
        .values_list(field)
        .annotate(n=Count("id"))
        .values_list(field, "n")
    )
    published = list(kind.model.objects.published().select_related("published_by"))
    if kind.model is ReadinessVersion and published:  # no entry yet: the newest
        counts[published[0].pk] = counts.get(published[0].pk, 0) + counts.get(None, 0)
    drafts = list(kind.model.objects.filter(status=Status.DRAFT).order_by("created_at"))
    return {
        "kind": kind,
        "url": kind_url(kind),
        "published": [
            {
                "version": version,
                "used": counts.get(version.pk, 0),
                "by": person_name(version.published_by) if version.published_by else "",
            }
            for version in published
        ],
        "latest": published[0] if published else None,
        "drafts": [(draft, draft_url(kind, draft)) for draft in drafts],
    }


@administrators_only
def administration_home(request: HttpRequest) -> HttpResponse:
    kinds = [kind_summary(kind) for kind in KINDS.values()]
    return render(request, "administration/home.html", {"section": "home", "kinds": kinds})


@administrators_only
def administration_versions(request: HttpRequest, kind: str) -> HttpResponse:
    found = get_kind(kind)
    if found.model is RuleTableVersion:  # its editor lists its versions
        return redirect(kind_url(found))
    summary = kind_summary(found)
    return render(request, "administration/versions.html", {"section": kind, "summary": summary})


@administrators_only
@require_POST
@atomic_post
def administration_start_draft(request: HttpRequest, kind: str) -> HttpResponse:
    """A new draft copied from the published version posted as `source`."""
    found = get_kind(kind)
    source_pk = request.POST.get("source", "")
    published = found.model.objects.published()
    source = get_object_or_404(published, pk=int(source_pk) if source_pk.isdigit() else 0)
    try:
        draft = start_draft(source, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("administration_versions", kind)
    messages.success(
        request,
        _("A draft was started from %(version)s. Nothing changes for anyone until it is published.")
        % {"version": source},
    )
    return redirect(draft_url(found, draft))


@administrators_only
@require_POST
@atomic_post
def administration_discard(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    found = get_kind(kind)
    discard_draft(get_draft(found, pk), request.user)
    messages.success(request, _("The draft was discarded."))
    return redirect(kind_url(found))


# --- editing a draft ----------------------------------------------------------------------------


@administrators_only
@atomic_post
def administration_draft(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    found = get_kind(kind)
    draft = get_draft(found, pk)
    editors: dict[type[Version], Callable[..., HttpResponse]] = {
        ChecklistVersion: _edit_checklist,
        EvaluationVersion: _edit_weights,
        ReadinessVersion: _edit_readiness,
    }
    if found.model not in editors:  # the decision table has its own editor
        return redirect(draft_url(found, draft))
    return editors[found.model](request, found, draft)


def _edit_checklist(request: HttpRequest, kind: Kind, draft: Version) -> HttpResponse:
    return _edit_rows(request, kind, draft, ChecklistDraftForm, CriterionFormSet, "criteria")


def _edit_readiness(request: HttpRequest, kind: Kind, draft: Version) -> HttpResponse:
    return _edit_rows(request, kind, draft, ReadinessDraftForm, ReadinessItemFormSet, "items")


def _with_blank_row(data: QueryDict, prefix: str) -> QueryDict:
    """The posted form again with one more (blank) row: “Add” saves nothing."""
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    count = data.get(total, "0")
    data[total] = str(int(count) + 1 if count.isdigit() else 1)
    return data


def _edit_rows(
    request: HttpRequest,
    kind: Kind,
    draft: Version,
    form_class: type[Any],
    formset_class: type[Any],
    related: str,
) -> HttpResponse:
    """A draft's own fields and its rows (questions, items): added, changed, removed."""
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add" in data
    if adding and data is not None:
        data = _with_blank_row(data, "rows")
    form = form_class(data, instance=draft, prefix="draft", initial={"seen": draft_stamp(draft)})
    rows = getattr(draft, related).all()
    formset = formset_class(data, queryset=rows, prefix="rows")
    if data is not None and not adding and form.is_valid() and formset.is_valid():
        saved, removed = formset.edits()
        return _save(request, kind, draft, form, saved, removed)
    problems = [] if adding or data is None else named_errors(form) + formset.problems()
    context = {"formset": formset, "adding": adding}
    return _render_draft(request, kind, draft, form, problems, context)


@dataclass(frozen=True)
class _Weights:
    form: WeightsForm
    rows: list[Any]


def _edit_weights(request: HttpRequest, kind: Kind, draft: Version) -> HttpResponse:
    """The eight vendor criteria's weights (percent of a vendor's score) and the note."""
    assert isinstance(draft, EvaluationVersion)
    data = request.POST if request.method == "POST" else None
    form = EvaluationDraftForm(
        data, instance=draft, prefix="draft", initial={"seen": draft_stamp(draft)}
    )
    rows = list(draft.weights.all())
    weights = WeightsForm(data, prefix="weights", weights={r.criterion: r.weight for r in rows})
    if data is not None and form.is_valid() and weights.is_valid():
        return _save(request, kind, draft, form, weights.edits(rows), [])
    problems = [] if data is None else named_errors(form) + named_errors(weights)
    context = {"weights": weights, "total": weights.total() or draft.total()}
    return _render_draft(request, kind, draft, form, problems, context)


def _save(
    request: HttpRequest, kind: Kind, draft: Version, form: Any, saved: list, removed: list
) -> HttpResponse:
    try:
        save_draft(
            draft,
            request.user,
            fields=form.changed_fields(),
            rows=saved,
            removed=removed,
            seen=form.cleaned_data["seen"],
        )
    except DraftChanged:
        messages.error(request, DRAFT_CHANGED)
    except ValidationError as error:  # published meanwhile
        messages.error(request, " ".join(error.messages))
        return redirect("administration_versions", kind.slug)
    else:
        messages.success(request, _("The draft was saved. Nothing changes until it is published."))
    return redirect("administration_draft", kind.slug, draft.pk)


def _render_draft(
    request: HttpRequest,
    kind: Kind,
    draft: Version,
    form: Any,
    problems: list[str],
    extra: dict[str, Any],
) -> HttpResponse:
    events = draft_events(draft).select_related("actor").order_by("-id")[:50]
    context = {
        "section": kind.slug,
        "kind": kind,
        "draft": draft,
        "form": form,
        "problems": problems,
        "publishable": [draft.problem_message(p) for p in draft.problems()],
        "history": history_display.rows(events),
        "source": _source(draft),
        **extra,
    }
    template = f"administration/draft_{kind.slug.replace('-', '_')}.html"
    return render(request, template, context)


def _source(draft: Version) -> str:
    """The version the draft was copied from, as its creation recorded it ("" if unknown)."""
    version_type = VERSION_SUBJECTS[type(draft)][0]
    created = Event.objects.filter(
        subject_type=version_type, subject_id=draft.pk, action=Action.CREATED
    ).first()
    return str((created.details or {}).get("copy_of", "")) if created else ""


# --- publishing ---------------------------------------------------------------------------------


@administrators_only
@atomic_post
def administration_publish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """What the draft would change (a replay of the assessments using the newest version), or
    why it cannot be published; then publishing it, confirmed with a stamp of what was shown."""
    found = get_kind(kind)
    draft = get_draft(found, pk)
    problems = [draft.problem_message(p) for p in draft.problems()]
    if unchanged(draft):  # publishing would only add an identical version
        problems.append(str(NO_CHANGE))
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        initial={"note": draft.note, "seen": publish_stamp(draft)},
    )
    if request.method == "POST" and not problems and form.is_valid():
        return _publish(request, found, draft, form)
    context = {
        "section": kind,
        "kind": found,
        "draft": draft,
        "draft_url": draft_url(found, draft),
        "problems": problems,
        "form": form,
        "preview": None if problems else preview(draft),
        "next_number": _next_number(found),
    }
    return render(request, "administration/publish.html", context)


def _publish(request: HttpRequest, kind: Kind, draft: Version, form: PublishForm) -> HttpResponse:
    try:
        publish_draft(
            draft, request.user, note=form.cleaned_data["note"], seen=form.cleaned_data["seen"]
        )
    except DraftChanged:
        messages.error(request, PUBLISH_CHANGED)
        return redirect("administration_publish", kind.slug, draft.pk)
    except ValidationError as error:  # published meanwhile, or it cannot run after all
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _published_message(draft))
    return redirect(kind_url(kind))


PUBLISH_CHANGED = gettext_lazy(
    "The draft was changed, or another version was published, since this page was shown: "
    "nothing was published. Review what it would change below, then publish again."
)


def _next_number(kind: Kind) -> int:
    latest = kind.model.objects.latest_published()
    return (latest.number or 0) + 1 if latest else 1


def _published_message(version: Version) -> str:
    return _(
        "Published %(version)s. Assessments keep the versions they use: a consultant moves each "
        "one on its “Checklist and rules” page, where the changes are shown first."
    ) % {"version": version}
