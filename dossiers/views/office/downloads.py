"""PDF downloads: the receipt (giấy tiếp nhận) and the apology slip (phiếu xin lỗi và hẹn lại)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from dossiers import selectors
from dossiers.documents import receipt_pdf
from dossiers.overdue import apology_slip_pdf, latest_apology
from dossiers.views.office.shared import Desk, office_dossier, office_required
from portal.errors import NotFoundError


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@office_required
def dossier_receipt(request, desk: Desk, dossier_id: int):
    dossier, _roles = office_dossier(request, dossier_id)
    if not dossier.code:
        raise Http404
    return _pdf(receipt_pdf(dossier), f"giay-tiep-nhan-{dossier.code}.pdf")


@login_required
def apology_slip(request, dossier_id: int):
    """The latest apology slip, for the dossier's officials and for its applicant (404 for anyone else)."""
    try:
        dossier = selectors.dossier_for_user(dossier_id=dossier_id, user=request.user)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    event = latest_apology(dossier)
    if event is None:
        raise Http404
    return _pdf(apology_slip_pdf(dossier, event), f"phieu-xin-loi-{dossier.code}.pdf")
