"""The portfolio home (issue 18): every assessment the reader may see, across their
organisations, with its step, check progress, outsourcing candidates and what to do next, the
headline first; and the departments of one organisation compared. A fixed number of queries
whatever the number of assessments and tasks (reporting/portfolio.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.models import Assessment
from assessments.reporting import portfolio
from assessments.web.portfolio_forms import DepartmentFilter, PortfolioFilter
from outsourcing_advisor.accounts.access import get_organisation_for_user
from outsourcing_advisor.accounts.models import Organisation


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The organisations the user belongs to, each with its assessments and their totals."""
    organisations = list(Organisation.objects.with_role(request.user))
    filters = PortfolioFilter(request.GET or None, organisations=organisations)
    assessments = Assessment.objects.for_user(request.user).order_by("-updated_at", "-pk")
    shown = organisations
    if (chosen := filters.value("organisation")) is not None:
        shown = [organisation for organisation in organisations if organisation.pk == chosen]
        assessments = assessments.filter(organisation_id=chosen)
    by_pk = {organisation.pk: organisation for organisation in organisations}
    listed = list(assessments)
    for assessment in listed:  # their organisation at hand, without a query each
        assessment.organisation = by_pk[assessment.organisation_id]
    found = portfolio.portfolio(shown, listed, filters.value("sort"))
    context = {"portfolio": found, "filters": filters, "many": len(organisations) > 1}
    return render(request, "assessments/home.html", context)


@login_required
@require_GET
def organisation_departments(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The departments of the organisation compared: hours, FTE, outsourcing share and tasks
    only one person can do, each as its latest assessment (or the one chosen) counts it."""
    organisation = get_organisation_for_user(request, org_pk)
    assessments = list(organisation.assessments.order_by("-updated_at", "-pk"))
    filters = DepartmentFilter(request.GET or None, assessments=assessments)
    chosen = filters.chosen()
    rows = portfolio.departments(organisation, assessments, chosen)
    sums = portfolio.total(row.sums for row in rows)
    context = {
        "organisation": organisation,
        "filters": filters,
        "chosen": chosen,
        "rows": rows,
        "sums": sums,
        "fte": sums.fte(organisation.yearly_hours),
        "several": len(assessments) > 1 and chosen is None,
    }
    return render(request, "assessments/organisation_departments.html", context)
