"""Access helpers: every query starts from what the signed-in user may see.

Each returns the object or raises 404 (an outsider learns nothing, not even that the id exists);
`write=True` also requires an editing role (manager or consultant), else 403."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from assessments.background.jobs import Job
from assessments.models import (
    Assessment,
    Comment,
    InventoryImport,
    MappingProfile,
    Package,
    PendingUpload,
    Task,
)


def get_assessment_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Assessment:
    assessment = (
        Assessment.objects.for_user(request.user)
        .select_related("organisation")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404
    if write and not assessment.can_edit:
        raise PermissionDenied
    return assessment


def get_task_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> Task:
    """A task of an assessment already fetched through `get_assessment_for_user`."""
    task = Task.objects.filter(assessment=assessment, pk=pk).first()
    if task is None:
        raise Http404
    return task


def get_upload_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> PendingUpload:
    upload = PendingUpload.objects.filter(
        assessment=assessment, uploaded_by=request.user, pk=pk
    ).first()
    if upload is None:
        raise Http404
    return upload


def get_import_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> InventoryImport:
    """An import of an assessment already fetched through `get_assessment_for_user`."""
    imported = InventoryImport.objects.filter(assessment=assessment, pk=pk).first()
    if imported is None:
        raise Http404
    return imported


def get_profile_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> MappingProfile:
    """A mapping profile of the organisation of an assessment the user may edit."""
    profile = MappingProfile.objects.filter(organisation=assessment.organisation, pk=pk).first()
    if profile is None:
        raise Http404
    return profile


def get_package_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> Package:
    """A package of an assessment already fetched through `get_assessment_for_user`."""
    # Through the assessment: the package knows it without a query (its state changes record
    # their history on it).
    package = assessment.packages.filter(pk=pk).first()
    if package is None:
        raise Http404
    return package


def get_trashed_task_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> Task:
    """A task of the assessment's trash, still restorable (the default manager has none)."""
    task = Task.with_trashed.filter(assessment=assessment, pk=pk).trashed().restorable().first()
    if task is None:
        raise Http404
    return task


def get_trashed_package_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> Package:
    """A package of the assessment's trash, still restorable."""
    package = (
        Package.with_trashed.filter(assessment=assessment, pk=pk).trashed().restorable().first()
    )
    if package is None:
        raise Http404
    package.assessment = assessment  # its state changes record their history on it
    return package


def get_comment_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> Comment:
    """A comment of an assessment already fetched through `get_assessment_for_user`."""
    comment = (
        Comment.objects.filter(assessment=assessment, pk=pk)
        .select_related("task", "package")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def get_job_for_user(request: HttpRequest, assessment: Assessment, pk: int) -> Job:
    """A background job of an assessment already fetched through `get_assessment_for_user`."""
    job = Job.objects.filter(assessment=assessment, pk=pk).defer("input", "output").first()
    if job is None:
        raise Http404
    return job


def form_id(value: str | None) -> int:
    """An id posted in a form; anything else matches nothing (a 404 or no row), never a 500."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


def administrators_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The administrators' area (issue 18): site administrators (staff) only. Anyone else
    signed in gets a 404, as for any page that is not theirs; nobody signed in, the sign-in."""

    @functools.wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_staff", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
