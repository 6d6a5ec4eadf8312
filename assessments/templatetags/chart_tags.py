"""`{% hours_chart groups "department" %}`: the inventory's SVG charts (reporting/charts.py)
in a page, the same drawings as in the PDF report."""

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString

from assessments.domain.inventory import Group
from assessments.reporting import charts

register = template.Library()


@register.simple_tag
def hours_chart(groups: Sequence[Group], key: str) -> SafeString:
    return charts.hours_chart(groups, key=key)
