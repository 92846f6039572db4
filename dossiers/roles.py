"""Who the caller is towards one dossier: its applicant, and/or an official of its agency."""

from dossiers.constants import Actor
from dossiers.models import Dossier
from portal.accounts.constants import AGENCY_ROLES
from portal.accounts.models import StaffRole


def actor_roles(*, user, dossier: Dossier) -> frozenset:
    if user is None or not user.is_authenticated:
        return frozenset()
    roles = set()
    if dossier.applicant_id == user.id:
        roles.add(Actor.APPLICANT)
    roles.update(
        StaffRole.objects.filter(user=user, agency_id=dossier.agency_id, role__in=sorted(AGENCY_ROLES)).values_list(
            "role", flat=True
        )
    )
    return frozenset(roles)


def official_agency_ids(*, user) -> list[int]:
    """Agencies where the user holds a counter role (their queues)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        StaffRole.objects.filter(user=user, role__in=sorted(AGENCY_ROLES))
        .values_list("agency_id", flat=True)
        .distinct()
    )
