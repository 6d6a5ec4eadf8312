"""The assessment's history page: every recorded change, newest first, fifty a page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.web.access import get_assessment_for_user
from outsourcing_advisor.history import display

PAGE_SIZE = 50


@login_required
@require_GET
def assessment_history(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    page = Paginator(display.assessment_events(assessment), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "assessment": assessment,
        "page": page,
        "history": display.shown(page, assessment, request.user),
    }
    return render(request, "history/assessment_history.html", context)
