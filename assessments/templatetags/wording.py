"""Lists in the reader's language in templates (outsourcing_advisor/common/wording.py):
`{{ names|listing }}` rather than `|join:"、"`, and `{% list_separator %}` between the items of a
loop, so that English readers get “A, B” where Japanese ones get 「A、B」."""

from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from outsourcing_advisor.common import wording

register = template.Library()


@register.filter(is_safe=True, needs_autoescape=True)
def listing(value: Iterable[object], autoescape: bool = True) -> str:
    """Like `join`, each item escaped as it escapes them, with the reader's separator."""
    if autoescape:
        return SafeString(wording.listing(conditional_escape(item) for item in value))
    return wording.listing(str(item) for item in value)


@register.simple_tag
def list_separator() -> str:
    return wording.list_separator()
