"""The six-step stepper shown on every assessment page (from _assessment_header.html)."""

from typing import Any

from django import template

from assessments.domain.workflow import workflow_steps
from assessments.models import Assessment
from assessments.reporting.progress import workflow_facts

register = template.Library()


@register.inclusion_tag("assessments/_stepper.html")
def assessment_stepper(assessment: Assessment, here: str = "", oob: bool = False) -> dict[str, Any]:
    """`here`: the key of the step whose page this is (goals, transition, operation), if any.
    `oob`: for an htmx response that changed what the steps count (a task added, saved or
    deleted in the fast table), the stepper swapped in place of the page's (hx-swap-oob)."""
    steps = workflow_steps(workflow_facts(assessment))
    return {
        "assessment": assessment,
        "steps": steps,
        "done": sum(step.done for step in steps),
        "total": len(steps),
        "here": here,
        "oob": oob,
        # The next action, said first on every assessment page (issue 18).
        "current": next((step for step in steps if step.current), None),
    }
