"""The six forms of Circular 01/2018/TT-VPCP, generated from a dossier's data.

    01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả      once received, with the appointment
    02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ     the papers asked for and why
    03 Phiếu từ chối tiếp nhận giải quyết hồ sơ    the reason
    04 Phiếu xin lỗi và hẹn lại ngày trả kết quả   the reason and the new date
    05 Phiếu kiểm soát quá trình giải quyết hồ sơ  each hand-over: who, when, due, on time or late
    06 Sổ theo dõi hồ sơ                           an agency's register for a period (A4 PDF, XLSX)

Each form is data (its number, title, who may have it, the step it records) and one small function that
writes its body on the one layout of portal.pdf. Every QR code encodes the public lookup's URL with the
dossier code only; the page it opens asks for the second factor, as the lookup does.
"""

from dossiers.paperwork.access import (
    CONTENT_TYPES,
    PDF,
    XLSX,
    Download,
    dossier_form_download,
    register_agencies,
    register_download,
)
from dossiers.paperwork.forms import FORMS, FormNotReady, FormSpec, form_pdf, forms_for, spec_for
from dossiers.paperwork.letterhead import lookup_url
from dossiers.paperwork.register import REGISTER, register_pdf, register_rows, register_xlsx

__all__ = [
    "CONTENT_TYPES",
    "FORMS",
    "PDF",
    "REGISTER",
    "XLSX",
    "Download",
    "FormNotReady",
    "FormSpec",
    "dossier_form_download",
    "form_pdf",
    "forms_for",
    "lookup_url",
    "register_agencies",
    "register_download",
    "register_pdf",
    "register_rows",
    "register_xlsx",
    "spec_for",
]
