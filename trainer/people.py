"""The demo people a trainer may sign in as: the seeded demo accounts, never an administrator."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.accounts.constants import Role
from portal.accounts.models import StaffRole, User
from trainer.reset import seeded_phones


@dataclass(frozen=True)
class DemoPerson:
    user: User
    roles: list


def demo_people() -> list[DemoPerson]:
    users = (
        User.objects.filter(phone__in=seeded_phones(), is_superuser=False, is_active=True)
        .exclude(staff_roles__role__in=[Role.ADMIN, Role.TRAINER])
        .order_by("phone")
    )
    roles = {}
    for staff in StaffRole.objects.filter(user__in=users).select_related("agency").order_by("role"):
        roles.setdefault(staff.user_id, []).append(staff)
    return [DemoPerson(user=user, roles=roles.get(user.pk, [])) for user in users]


def demo_people_grouped() -> list[tuple[str, list[DemoPerson]]]:
    """Citizens and organisations first, then each agency's officials, by agency code."""
    citizens, by_agency, names = [], {}, {}
    for person in demo_people():
        agency = next((staff.agency for staff in person.roles if staff.agency), None)
        if agency is None:
            citizens.append(person)
        else:
            by_agency.setdefault(agency.code, []).append(person)
            names[agency.code] = agency.name
    groups = [(str(_("Công dân, tổ chức")), citizens)] if citizens else []
    return groups + [(f"{names[code]} ({code})", by_agency[code]) for code in sorted(by_agency)]


def demo_person(user_id) -> User | None:
    return next((p.user for p in demo_people() if str(p.user.pk) == str(user_id)), None)
