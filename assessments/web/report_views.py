"""The PDF recommendation report (SPEC 4.8), downloaded by anyone who may see the assessment
(viewers included), in Japanese or English. Above BACKGROUND_REPORT_TASKS tasks the worker makes
it, whichever way it is asked for: one report takes a web worker for minutes."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.background import jobs
from assessments.models import Assessment
from assessments.reporting import pdf
from assessments.web.access import get_assessment_for_user
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.wording import language_codes, reader_language


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """`?lang=ja|en`; without it (or with another value), the user's language."""
    assessment = get_assessment_for_user(request, pk)
    lang = report_language(request.GET.get("lang", ""))
    if assessment.tasks.count() > settings.BACKGROUND_REPORT_TASKS:
        return background_report(request, assessment, lang)
    content = pdf.report_pdf(
        assessment, lang=lang, viewer=request.user, prepared_by=prepared_by(request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = attachment(assessment, lang)
    response["Cache-Control"] = "private, no-store"
    return response


def background_report(request: HttpRequest, assessment: Assessment, lang: str) -> HttpResponse:
    """The person's report from the worker: its job page (the report reused, on its way, or
    queued now), or the overview saying they have their share of the queue already."""
    try:
        job = jobs.report(assessment, request.user, lang=lang, prepared_by=prepared_by(request))
    except jobs.TooManyJobs as refused:
        messages.warning(request, str(refused))
        return redirect("assessment_detail", pk=assessment.pk)
    if job.status == jobs.JobStatus.DONE:
        messages.info(
            request, _("Nothing the report shows has changed since it was made: here it is again.")
        )
    return redirect("job_detail", pk=assessment.pk, job_pk=job.pk)


def report_language(asked: str) -> str:
    """The language asked for when it is one of ours, else the user's."""
    return asked if asked in language_codes() else reader_language()


def prepared_by(request: HttpRequest) -> str:
    """The name the report's cover gives as its author."""
    return person_name(request.user)


def attachment(assessment: Assessment, lang: str) -> str:
    """`attachment` with an ASCII name every client understands and the assessment's own name
    (often Japanese) for those that read RFC 5987's `filename*`."""
    day = timezone.localdate().isoformat()
    fallback = f"outsourcing-report-{assessment.pk}-{day}-{lang}.pdf"
    name = f"{safe_name(assessment.name) or 'report'} {day} {lang}.pdf"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def safe_name(name: str) -> str:
    """A name without what a file system or a header could misread: control characters, path
    separators, quotes, reserved punctuation; at most 100 characters."""
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[\\/:*?"<>|;]+', " ", name)
    return " ".join(name.split())[:100].strip(" .")
