"""Choice keys shown as their labels in the reader's language (see choices.label)."""

from django import template

from assessments import choices
from assessments.models import Verdict
from assessments.versions import Outcome

register = template.Library()


@register.filter
def verdict_label(value: str) -> str:
    return choices.label(Verdict, value) if value else ""


@register.filter
def model_label(value: str) -> str:
    return choices.label(Outcome, value) if value else ""
