"""Who gets which form: the dossier's applicant forms 01–04 of their own dossier, the agency's officials
every form and their agency's register. Anyone else is told the dossier does not exist (404)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import rules, selectors
from dossiers.paperwork.forms import form_pdf, may_have, spec_for
from dossiers.paperwork.letterhead import lookup_url
from dossiers.paperwork.register import REGISTER, register_pdf, register_rows, register_xlsx
from dossiers.roles import actor_roles, official_agency_ids
from portal.errors import NotFoundError, PermissionDeniedError, ServiceError
from procedures.models import Agency

ERR_NO_FORM = gettext_noop("Không có biểu mẫu này cho hồ sơ.")
ERR_NOT_OFFICIAL = gettext_noop("Chỉ cán bộ của cơ quan mới xem được sổ theo dõi hồ sơ.")
ERR_AGENCY = gettext_noop("Không tìm thấy cơ quan này trong các cơ quan bạn làm việc.")
ERR_CHOOSE_AGENCY = gettext_noop("Chọn cơ quan.")
PDF, XLSX = "pdf", "xlsx"
CONTENT_TYPES = {PDF: "application/pdf", XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes


def dossier_form_download(*, dossier_id: int, number: str, user, request=None) -> Download:
    """Form `number` of the dossier: 404 if the caller may not have it, 409 before its step."""
    dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=user)
    spec = spec_for(number)
    roles = rules.roles_that_see(dossier, actor_roles(user=user, dossier=dossier))
    if spec is None or not may_have(spec, roles):
        raise NotFoundError(_(ERR_NO_FORM))
    paper = form_pdf(spec, dossier, qr_url=lookup_url(dossier.code or "", request=request))
    return Download(f"mau-{spec.number}-{spec.slug}-{dossier.code}.pdf", CONTENT_TYPES[PDF], paper.render())


def register_agencies(*, user) -> list[Agency]:
    """The agencies whose register the caller keeps (where they hold a counter role)."""
    return list(Agency.objects.filter(pk__in=official_agency_ids(user=user)).order_by("code"))


def register_download(*, user, agency_code: str, date_from: date, date_to: date, fmt: str) -> Download:
    """Form 06 of one of the caller's agencies: 403 for a caller with no agency, 404 for another agency."""
    agencies = register_agencies(user=user)
    if not agencies:
        raise PermissionDeniedError(_(ERR_NOT_OFFICIAL))
    if not agency_code and len(agencies) == 1:
        agency_code = agencies[0].code
    if not agency_code:
        raise ServiceError(_(ERR_CHOOSE_AGENCY), field="agency")
    agency = next((a for a in agencies if a.code == agency_code), None)
    if agency is None:
        raise NotFoundError(_(ERR_AGENCY), field="agency")
    rows = register_rows(agency=agency, date_from=date_from, date_to=date_to)
    write = register_xlsx if fmt == XLSX else register_pdf
    content = write(agency=agency, date_from=date_from, date_to=date_to, rows=rows)
    name = f"mau-{REGISTER[0]}-{REGISTER[2]}-{agency.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    return Download(name, CONTENT_TYPES[fmt], content)
