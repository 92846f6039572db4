"""Who plays which part in the demo: the demo officials of an agency, the demo citizens, a PDF to attach."""

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from portal.accounts.constants import Role
from portal.accounts.models import StaffRole, User
from procedures.models import Agency

COUNTER_ROLES = (Role.RECEIVER, Role.PROCESSOR, Role.APPROVER)
# The demo citizens of seeds/demo_accounts.json: the scenarios' applicants, whom a trainer signs in as.
APPLICANT_PHONES = ("0912000001", "0912000002")
# The citizens of seeds/demo_world.json who filed the demo world's dossiers, in turn (so the scenarios'
# citizens are not buried under the world's notices).
WORLD_APPLICANT_PHONES = tuple(f"09180000{n:02d}" for n in range(1, 9))


class MissingCast(LookupError):
    """The demo accounts are not loaded (or an agency has no demo official for a counter role)."""


@dataclass(frozen=True)
class Cast:
    agency: Agency
    receiver: User
    processor: User
    approver: User

    def official(self, role: str) -> User:
        return getattr(self, role)


def demo_agencies() -> list[Agency]:
    """Agencies whose demo officials cover receiving, processing and approving, by code."""
    covered = {}
    for agency_id, role in StaffRole.objects.filter(role__in=COUNTER_ROLES).values_list("agency_id", "role"):
        covered.setdefault(agency_id, set()).add(role)
    ids = [agency_id for agency_id, roles in covered.items() if roles >= set(COUNTER_ROLES)]
    return list(Agency.objects.filter(pk__in=ids).order_by("code"))


def cast_for(agency: Agency) -> Cast:
    """The agency's first demo official of each counter role (by phone, so always the same person)."""
    people = {}
    for role in COUNTER_ROLES:
        staff = (
            StaffRole.objects.filter(agency=agency, role=role).select_related("user").order_by("user__phone").first()
        )
        if staff is None:
            raise MissingCast(f"{agency.code} has no {role}")
        people[role] = staff.user
    return Cast(agency=agency, **people)


def applicants(phones: tuple[str, ...] = APPLICANT_PHONES) -> list[User]:
    found = {user.phone: user for user in User.objects.filter(phone__in=phones)}
    if len(found) != len(phones):
        raise MissingCast("demo citizens not loaded")
    return [found[phone] for phone in phones]


@cache
def paper_png() -> bytes:
    """A small scanned-photo stand-in, for papers that accept images only."""
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (245, 245, 240)).save(out, format="PNG")
    return out.getvalue()


@cache
def paper_pdf() -> bytes:
    """A one-page scan stand-in, the same bytes every time."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A5, invariant=True)
    page.drawString(40, 500, "Demo document")
    page.showPage()
    page.save()
    return out.getvalue()
