"""E-results (kết quả điện tử): the approver's result, signed by the agency, and checking one.

On approval the result PDF gets one more page, the verification slip (the dossier code, the agency,
a QR code of the public verification link: no personal data), and is signed with a PAdES signature by
the agency's certificate from the portal's mock certificate authority (portal/esign). The signed file
is the dossier's result_file: what the applicant downloads, what the verification page checks.
Everything happens inside the approving transaction, and the approval's event records the signature:
a failure leaves no result, no row and no event.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from dossiers.models import Dossier, EResult
from dossiers.uploads import CheckedFile
from portal.errors import ConflictError, ServiceError
from portal.esign import ca, pades
from portal.formatting import local_datetime
from portal.pdf import Paper

ERR_NOT_SIGNABLE = gettext_noop(
    "Không ký số được tệp kết quả: tệp PDF không đọc hoặc không ghi thêm được. Hãy xuất lại tệp PDF rồi tải lên."
)
ERR_NO_CA = gettext_noop(
    "Cổng chưa có tổ chức chứng thực để ký kết quả điện tử. Quản trị viên cần chạy lệnh “manage.py esign_init”."
)
ERR_CHECK_TOO_LARGE = gettext_noop("Tệp rỗng hoặc lớn hơn giới hạn cho phép.")
ERR_CHECK_NO_FILE = gettext_noop("Hãy chọn tệp kết quả cần kiểm tra.")
SIGN_REASON = "Kết quả giải quyết thủ tục hành chính"
OUTCOME_LABELS = {
    pades.VALID: gettext_noop("Chữ ký số hợp lệ: tệp còn nguyên vẹn, do cơ quan có chứng thư số của Cổng ký."),
    pades.BROKEN: gettext_noop("Chữ ký số không còn nguyên vẹn: tệp đã bị sửa đổi sau khi ký."),
    pades.UNTRUSTED: gettext_noop(
        "Chữ ký số không được tin cậy: chứng thư số không do tổ chức chứng thực của Cổng cấp."
    ),
    pades.UNSIGNED: gettext_noop("Tệp không phải PDF có chữ ký số."),
}


def verification_url(token) -> str:
    return settings.PUBLIC_BASE_URL + reverse("eresults:verify-token", kwargs={"token": token})


def _slip(dossier: Dossier, *, url: str, signed_at: datetime) -> bytes:
    paper = Paper(pagesize=A4, margin=18 * mm, title=f"Xác thực kết quả điện tử {dossier.code}")
    paper.letterhead(
        dossier.agency.name, qr_content=url, qr_size=32 * mm, qr_caption="Quét mã QR để kiểm tra chữ ký số"
    )
    paper.heading("THÔNG TIN XÁC THỰC KẾT QUẢ ĐIỆN TỬ")
    paper.rows(
        [
            ("Mã hồ sơ", dossier.code or "—"),
            ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
            ("Cơ quan ký số", dossier.agency.name),
            ("Thời điểm ký", local_datetime(signed_at)),
        ],
        label_width=40 * mm,
    )
    paper.paragraph("Kiểm tra chữ ký số tại:", size=8, space_before=4 * mm)
    paper.fitted_line(url, size=8)
    paper.paragraph("Bản mô phỏng, không có giá trị pháp lý.", size=8)
    return paper.render()


def _with_slip(content: bytes, slip: bytes) -> bytes:
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
        writer.append(PdfReader(io.BytesIO(slip)))
        output = io.BytesIO()
        writer.write(output)
    except Exception as exc:  # a PDF the upload checks let through but pypdf cannot rewrite
        raise ServiceError(_(ERR_NOT_SIGNABLE), field="file") from exc
    return output.getvalue()


def eresult_issue(*, dossier: Dossier, checked: CheckedFile, now: datetime) -> EResult:
    """Sign the approver's result for the locked dossier (in the caller's transaction) and record it.

    The approval's event records the signature (see eresult_event_data): one event for one step."""
    try:
        signer, root = ca.agency_signer(agency_code=dossier.agency.code, agency_name=dossier.agency.name)
    except ca.CertificateAuthorityMissing as exc:
        raise ConflictError(_(ERR_NO_CA), code="no_certificate_authority") from exc
    e_result = EResult(dossier=dossier, agency=dossier.agency, signer_name=dossier.agency.name, signed_at=now)
    content = _with_slip(checked.content, _slip(dossier, url=verification_url(e_result.token), signed_at=now))
    try:
        signed = pades.sign_pdf(content, signer=signer, issuer=root, reason=SIGN_REASON, location=dossier.agency.name)
    except pades.SigningFailed as exc:
        raise ServiceError(_(ERR_NOT_SIGNABLE), field="file") from exc
    dossier.result_file.save(f"{dossier.code}-ket-qua.pdf", ContentFile(signed), save=False)
    e_result.certificate_serial = signer.serial_hex
    e_result.sha256 = hashlib.sha256(signed).hexdigest()
    e_result.size = len(signed)
    e_result.save()
    return e_result


def eresult_event_data(e_result: EResult) -> dict:
    return {
        "e_result": {
            "id": e_result.pk,
            "signed_by": e_result.agency.code,
            "certificate_serial": e_result.certificate_serial,
            "sha256": e_result.sha256,
        }
    }


@dataclass(frozen=True)
class EResultCheck:
    outcome: str
    message: str
    signer: str
    signer_code: str
    signed_at: datetime | None
    certificate_serial: str
    dossier_code: str  # when the file is an e-result this portal issued (found by its digest)


def read_for_check(upload) -> bytes | None:
    """An uploaded file's bytes for a check, or None past the attachment size limit (no result is larger)."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        return None
    upload.seek(0)
    return upload.read(settings.ATTACHMENT_MAX_BYTES + 1)


def eresult_check(content: bytes) -> EResultCheck:
    """Check any file against the portal's CA: intact, who signed, when, and whose result it is."""
    found = pades.verify_pdf(content, trust_root=ca.root_certificate())
    issued = None
    if found.outcome == pades.VALID:
        digest = hashlib.sha256(content).hexdigest()
        issued = EResult.objects.filter(sha256=digest).select_related("dossier").first()
    return EResultCheck(
        outcome=found.outcome,
        message=_(OUTCOME_LABELS[found.outcome]),
        # The certificate holds at most 64 bytes of the name; the portal's own record holds all of it.
        signer=issued.signer_name if issued else found.signer,
        signer_code=found.signer_code,
        signed_at=found.signed_at,
        certificate_serial=found.certificate_serial,
        dossier_code=(issued.dossier.code or "") if issued else "",
    )


def eresult_check_stored(e_result: EResult) -> EResultCheck:
    """Check the stored file of an e-result (the page the QR code opens)."""
    with e_result.dossier.result_file.open("rb") as stored:
        return eresult_check(stored.read())
