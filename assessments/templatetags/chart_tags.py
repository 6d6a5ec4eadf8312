"""`{% hours_chart groups "department" %}`: the inventory's SVG charts (reporting/charts.py)
in a page, the same drawings as in the PDF report."""

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString

from assessments.domain.inventory import Group
from assessments.reporting import charts

register = template.Library()


# A phone's chart: 3.4 inches are drawn at about a phone's width, so its labels keep their size.
PHONE_WIDTH_INCHES = 3.4


@register.simple_tag
def hours_chart(groups: Sequence[Group], key: str, phone: bool = False) -> SafeString:
    if phone:
        return charts.hours_chart(groups, key=f"{key}-phone", width_inches=PHONE_WIDTH_INCHES)
    return charts.hours_chart(groups, key=key)
