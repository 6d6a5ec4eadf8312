"""The inventory import in the browser (SPEC 4.2.1): upload, the mapping step where the import is
unsure, the preview of what changes, the confirmed import (in the background for large files),
and undoing the last one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.background import jobs
from assessments.background.jobs import Job, JobKind
from assessments.files import uploads
from assessments.files.decisions import Decisions
from assessments.files.problems import ImportRejected
from assessments.files.reading import Reading, notices
from assessments.models import Assessment, InventoryImport, PendingUpload
from assessments.web.access import (
    get_assessment_for_user,
    get_import_for_user,
    get_profile_for_user,
    get_upload_for_user,
)
from assessments.web.import_forms import InventoryUploadForm, MappingForm, MergeForm, PreviewForm
from outsourcing_advisor.common.stamps import lock_parent, locking
from outsourcing_advisor.common.wording import reader_language


@login_required
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file; it is read at once and previewed (or mapped first) before anything changes."""
    assessment = get_assessment_for_user(request, pk, write=True)
    form = InventoryUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            upload = uploads.start_upload(assessment, request.user, form.cleaned_data["file"])
            return redirect("import_preview", pk=assessment.pk, upload_pk=upload.pk)
        except ImportRejected as rejected:
            problems = rejected.problems
    context = {
        "assessment": assessment,
        "form": form,
        "problems": problems,
        "imports": assessment.imports.listed()[:5],
        "profiles": assessment.organisation.mapping_profiles.all(),
        "jobs": Job.objects.of(assessment).filter(kind=JobKind.IMPORT).recent()[:5],
    }
    status = 400 if problems or form.errors else 200
    return render(request, "assessments/import.html", context, status=status)


@login_required
def import_mapping(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """The mapping step: what the import is unsure of, and every column's meaning."""
    assessment = get_assessment_for_user(request, pk, write=True)
    upload = get_upload_for_user(request, assessment, upload_pk)
    reading = _reading(request, assessment, upload)
    if reading is None:
        return redirect("import_upload", pk=assessment.pk)
    decisions = Decisions.from_json(upload.decisions)
    form = MappingForm(request.POST or None, reading=reading, decisions=decisions)
    if request.method == "POST" and form.is_valid() and request.htmx:
        # A choice changed: the first tasks as these choices read them, nothing saved.
        reading, lines = uploads.sample(upload, assessment, form.decisions())
        context = {"reading": reading, "lines": lines}
        return render(request, "assessments/_mapping_sample.html", context)
    if request.method == "POST" and form.is_valid():
        uploads.decide(upload, assessment, form.decisions(), request.user, form.saved_name())
        return redirect("import_preview", pk=assessment.pk, upload_pk=upload.pk)
    context = {
        "assessment": assessment,
        "upload": upload,
        "reading": reading,
        "form": form,
        "lines": uploads.first_lines(reading, assessment),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/import_mapping.html", context, status=status)


@login_required
def import_preview(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """What the import will change; importing needs this page's button (and, to remove tasks,
    a confirmation)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    try:
        upload = get_upload_for_user(request, assessment, upload_pk)
    except Http404:
        if request.method != "POST":
            raise
        return _gone(request, assessment)  # confirmed again: the back button, another tab
    reading = _reading(request, assessment, upload)
    if reading is None:
        return redirect("import_upload", pk=assessment.pk)
    if not reading.ready:
        return redirect("import_mapping", pk=assessment.pk, upload_pk=upload.pk)
    replace = (request.POST or request.GET).get("replace", "1" if upload.replace else "0") == "1"
    shown = uploads.preview(assessment, reading, replace=replace)
    form = PreviewForm(request.POST or None, initial={"replace": str(int(replace))}, preview=shown)
    if request.method == "POST" and form.is_valid():
        return _import(request, assessment, upload, reading, replace)
    context = {
        "assessment": assessment,
        "upload": upload,
        "reading": reading,
        "preview": shown,
        "form": form,
        "merge_form": MergeForm(groups=reading.assembled.similar),
        "notices": notices(reading),
    }
    template = (
        "assessments/_import_plan.html" if request.htmx else "assessments/import_preview.html"
    )
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_POST
def import_merge(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """Merge departments that look like one (the preview's offer)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    upload = get_upload_for_user(request, assessment, upload_pk)
    reading = _reading(request, assessment, upload)
    if reading is None:
        return redirect("import_upload", pk=assessment.pk)
    form = MergeForm(request.POST, groups=reading.assembled.similar)
    if form.is_valid():
        decisions = Decisions.from_json(upload.decisions)
        decisions.merge |= form.merges()
        uploads.decide(upload, assessment, decisions, request.user)
    return redirect("import_preview", pk=assessment.pk, upload_pk=upload.pk)


def _reading(request: HttpRequest, assessment: Assessment, upload: PendingUpload) -> Reading | None:
    """The pending file read again; None (the upload dropped, the reasons shown) when it can no
    longer be read, e.g. after the limits were lowered."""
    try:
        return uploads.read_upload(upload, assessment)
    except ImportRejected as rejected:
        upload.delete()
        for problem in rejected.problems:
            messages.error(request, str(problem))
        return None


def _import(
    request: HttpRequest,
    assessment: Assessment,
    upload: PendingUpload,
    reading: Reading,
    replace: bool,
) -> HttpResponse:
    """Import now, or, for a file with many rows, in the background with a progress page. Once
    per upload: the assessment is locked (as `import_tasks` locks it) before the upload is looked
    for again, and the upload is deleted in the same transaction, so that of two confirmations at
    the same instant (two tabs, a double click) the second waits, finds it gone and is told so."""
    with transaction.atomic():
        lock_parent(assessment)
        if not locking(PendingUpload.objects.filter(pk=upload.pk)).exists():
            return _gone(request, assessment)
        if len(reading.rows) > settings.BACKGROUND_IMPORT_ROWS:
            try:
                job = jobs.start_import(
                    assessment,
                    request.user,
                    data=bytes(upload.content),
                    filename=upload.filename,
                    decisions=upload.decisions,
                    replace=replace,
                    lang=reader_language(),
                )
            except jobs.TooManyJobs as refused:  # the preview stays: confirm it again later
                messages.warning(request, str(refused))
                return redirect("import_preview", pk=assessment.pk, upload_pk=upload.pk)
            upload.delete()
            return redirect("job_detail", pk=assessment.pk, job_pk=job.pk)
        record = assessment.import_tasks(
            reading.rows,
            filename=upload.filename,
            sha256=reading.sha256,
            user=request.user,
            replace=replace,
            provided=reading.provided,
        )
        upload.delete()
    messages.success(request, imported_message(record))
    return redirect("assessment_detail", pk=assessment.pk)


def _gone(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """A preview confirmed once its upload had been imported (or dropped): nothing is imported
    again, and the import page lists what was."""
    messages.warning(
        request,
        _(
            "This upload has already been imported (or was dropped): nothing was imported again. "
            "The latest imports are listed below."
        ),
    )
    return redirect("import_upload", pk=assessment.pk)


def imported_message(record: InventoryImport) -> str:
    return ngettext(
        "Imported %(file)s: %(added)s task added, %(changed)s updated, %(removed)s removed.",
        "Imported %(file)s: %(added)s tasks added, %(changed)s updated, %(removed)s removed.",
        record.added,
    ) % {
        "file": record.filename,
        "added": record.added,
        "changed": record.changed,
        "removed": record.removed,
    }


@login_required
def import_undo(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """Put the inventory back as it was before the last import (asked first)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    imported = get_import_for_user(request, assessment, import_pk)
    if not imported.can_undo:
        messages.error(request, _("Only the latest import can be undone, and only once."))
        return redirect("import_upload", pk=assessment.pk)
    if request.method == "POST":
        count = assessment.undo_import(imported, request.user)
        messages.success(
            request,
            ngettext(
                "The import of %(file)s was undone: the inventory has its %(count)s task again.",
                "The import of %(file)s was undone: the inventory has its %(count)s tasks again.",
                count,
            )
            % {"file": imported.filename, "count": count},
        )
        return redirect("inventory", pk=assessment.pk)
    context = {
        "assessment": assessment,
        "imported": imported,
        "restored": len((imported.before or {}).get("tasks", [])),
        "edited_since": assessment.tasks.filter(updated_at__gt=imported.created_at).count(),
    }
    return render(request, "assessments/import_undo.html", context)


@login_required
@require_POST
def mapping_profile_delete(request: HttpRequest, pk: int, profile_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    profile = get_profile_for_user(request, assessment, profile_pk)
    profile.delete()
    messages.success(request, _("The mapping “%(name)s” was deleted.") % {"name": profile.name})
    return redirect("import_upload", pk=assessment.pk)
