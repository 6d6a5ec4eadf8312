"""Pages of background jobs: progress (polled in place with htmx), retry, and the report's
download. Anyone who may see the assessment may follow its jobs; retrying an import needs the
right to edit it, as starting one did. Looking at a job whose worker died ends it (failed, to
be retried)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.background import jobs
from assessments.background.jobs import Job, JobKind, JobStatus
from assessments.web.access import get_assessment_for_user, get_job_for_user
from assessments.web.report_views import attachment, background_report, report_language
from vendors.services import sealing


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    job = get_job_for_user(request, assessment, job_pk)
    if job.stalled:  # nothing else would end it: failed, and retryable, from now on
        jobs.fail_stalled(Job.objects.filter(pk=job.pk))
        job = get_job_for_user(request, assessment, job_pk)
    context = {"assessment": assessment, "job": job, "outcome": jobs.outcome(job)}
    if request.htmx:  # the progress card polling itself
        return render(request, "assessments/_job.html", context)
    return render(request, "assessments/job.html", context)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    job = get_job_for_user(request, assessment, job_pk)
    if job.kind == JobKind.IMPORT and not assessment.can_edit:
        raise PermissionDenied
    if job.can_retry:
        try:
            jobs.retry(job)
        except jobs.TooManyJobs as refused:
            messages.warning(request, str(refused))
    else:
        messages.info(request, _("This job is not waiting for a retry."))
    return redirect("job_detail", pk=assessment.pk, job_pk=job.pk)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    job = get_job_for_user(request, assessment, job_pk)
    if job.kind != JobKind.REPORT or job.status != JobStatus.DONE or not job.output:
        raise Http404
    # The report was sealed for its maker: only someone who may see the same rankings now gets
    # it (one made before reports were sealed has no key and goes to no one).
    if job.result.get("seal") != sealing.report_key(request.user, assessment):
        messages.error(
            request,
            _(
                "This report shows vendor rankings you may not see yet (scores stay sealed "
                "until you have submitted yours): make your own report."
            ),
        )
        return redirect("job_detail", pk=assessment.pk, job_pk=job.pk)
    response = HttpResponse(bytes(job.output), content_type="application/pdf")
    response["Content-Disposition"] = attachment(assessment, job.params["lang"])
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the report in the background (large assessments; the overview offers it)."""
    assessment = get_assessment_for_user(request, pk)
    return background_report(request, assessment, report_language(request.POST.get("lang", "")))
