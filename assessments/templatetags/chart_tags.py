"""`{% hours_chart groups "department" %}`: the inventory's SVG charts (assessments.charts) in a
page, the same drawings as in the PDF report."""

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString

from assessments import charts
from assessments.inventory import Group

register = template.Library()


@register.simple_tag
def hours_chart(groups: Sequence[Group], key: str) -> SafeString:
    return charts.hours_chart(groups, key=key)
