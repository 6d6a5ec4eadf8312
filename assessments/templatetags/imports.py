"""What the import preview shows of a reading (SPEC 4.2.1)."""

from __future__ import annotations

from django import template

from assessments.files.clean import SKIP_LABELS, Skipped
from assessments.files.reading import Reading
from assessments.files.uploads import Inferred, inferred_categories

register = template.Library()


@register.filter(name="inferred_categories")
def inferred_categories_filter(reading: Reading) -> list[Inferred]:
    return inferred_categories(reading)


@register.filter
def skip_reason(skipped: Skipped) -> str:
    return str(SKIP_LABELS[skipped.reason])
