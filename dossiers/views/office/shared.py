"""What the back-office pages share: who is at the desk, the access check, the page frame, the dossier."""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from dossiers import selectors
from dossiers.constants import Actor
from dossiers.models import Dossier
from dossiers.roles import actor_roles
from portal.accounts.constants import AGENCY_ROLES
from portal.accounts.selectors import user_staff_roles
from portal.errors import NotFoundError
from procedures.models import Agency

SESSION_AGENCY = "office_agency_id"


@dataclass
class Desk:
    """The official's agencies and roles, and the agency whose queue they are working now."""

    roles_by_agency: dict[int, set[str]]
    agencies: list[Agency]
    agency: Agency | None = None
    roles: set[str] = field(default_factory=set)


def _desk(request) -> Desk:
    roles_by_agency, agencies = {}, {}
    for staff_role in user_staff_roles(user=request.user):
        if staff_role.role in AGENCY_ROLES:
            roles_by_agency.setdefault(staff_role.agency_id, set()).add(staff_role.role)
            agencies[staff_role.agency_id] = staff_role.agency
    desk = Desk(roles_by_agency=roles_by_agency, agencies=sorted(agencies.values(), key=lambda a: a.name))
    chosen = request.session.get(SESSION_AGENCY)
    if len(agencies) == 1:
        chosen = next(iter(agencies))
    if chosen in agencies:
        desk.agency, desk.roles = agencies[chosen], roles_by_agency[chosen]
    return desk


def forbidden(request, message=None):
    return render(request, "dossiers/office/forbidden.html", {"message": message}, status=403)


def office_required(view):
    """Logged in and holding a counter role somewhere; other users get the 403 page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        desk = _desk(request)
        if not desk.agencies:
            return forbidden(request)
        return view(request, desk, *args, **kwargs)

    return wrapper


def render_page(request, template: str, context: dict, status: int = 200):
    return render(request, f"dossiers/office/{template}", {"nav_section": "office", **context}, status=status)


def office_dossier(request, dossier_id: int) -> tuple[Dossier, frozenset]:
    """The dossier with its history, if the caller is an official of its agency; 404 otherwise."""
    try:
        dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    roles = actor_roles(user=request.user, dossier=dossier) - {Actor.APPLICANT}
    if not roles:
        raise Http404
    return dossier, roles
