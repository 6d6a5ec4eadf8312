"""Access helpers: each returns the object the signed-in user may see, or raises 404.

Writing needs an editing role (manager or consultant); a viewer gets 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from outsourcing_advisor.accounts.models import EDITING_ROLES, Organisation


def get_organisation_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> Organisation:
    organisation = Organisation.objects.with_role(request.user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    if write and organisation.role not in EDITING_ROLES:
        raise PermissionDenied
    return organisation
