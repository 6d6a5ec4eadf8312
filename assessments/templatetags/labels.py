"""Choice keys shown as their labels in the reader's language (see choices.label)."""

from collections.abc import Mapping
from typing import Any

from django import template

from assessments import choices
from assessments.models import Verdict
from assessments.versions import Outcome, VendorCriterion

register = template.Library()


@register.filter
def verdict_label(value: str) -> str:
    return choices.label(Verdict, value) if value else ""


@register.filter
def model_label(value: str) -> str:
    return choices.label(Outcome, value) if value else ""


@register.filter
def criterion_label(value: str) -> str:
    return choices.label(VendorCriterion, value) if value else ""


@register.filter
def lookup(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """mapping[key], or None: for tables keyed by criterion or id."""
    return mapping.get(key) if mapping else None
