"""Forms 01–05: each is data (FormSpec) and a small function writing its body; form_pdf lays one out.

A form records a step of the dossier (`source` finds it: the reception, the latest supplement request,
refusal or apology); before that step the form does not exist and form_pdf raises FormNotReady (409).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import rules, workflow
from dossiers.constants import Actor, DossierStatus
from dossiers.models import Dossier, DossierEvent
from dossiers.overdue import apply_apology
from dossiers.paperwork.handovers import dossier_hand_overs
from dossiers.paperwork.letterhead import (
    DISCLAIMER,
    LABEL_WIDTH,
    applicant_rows,
    date_in_words,
    form_paper,
    time_and_date,
)
from portal.errors import ConflictError
from portal.formatting import dong, local_datetime
from portal.pdf import Paper

# The rows of the workflow table that end a dossier against the applicant, and those that issue an
# apology slip: found by what the table says of them, not by their names.
NEGATIVE_OUTCOMES = frozenset((t.action, t.target) for t in workflow.TRANSITIONS if t.negative)
APOLOGY_ACTIONS = frozenset(t.action for t in workflow.TRANSITIONS if t.effect is apply_apology)


class FormNotReady(ConflictError):
    """The step the form records has not happened (yet) for this dossier."""


@dataclass(frozen=True)
class FormSpec:
    number: str
    title: str
    slug: str  # the downloaded file's name
    label: str  # what pages call it (translated)
    for_applicant: bool  # the applicant may have it; officials of the agency may have every form
    not_ready: str  # why there is none yet (translated)
    source: Callable[[Dossier], object | None]  # the step it records, or None before it
    body: Callable[[Paper, Dossier, object], None]


def _latest(dossier: Dossier, matches: Callable[[DossierEvent], bool]) -> DossierEvent | None:
    found = [event for event in dossier.events.all() if matches(event)]  # prefetched, oldest first
    return found[-1] if found else None


def _reception(dossier: Dossier) -> DossierEvent | None:
    """The move that started the appointment clock (received online, or registered at the counter)."""
    if dossier.received_at is None:
        return None
    return _latest(
        dossier, lambda e: e.created_at <= dossier.received_at and e.to_status in rules.RECEIVED_OPEN_STATUSES
    ) or DossierEvent(created_at=dossier.received_at)


def _supplement_request(dossier: Dossier) -> DossierEvent | None:
    return _latest(
        dossier,
        lambda e: e.to_status == DossierStatus.SUPPLEMENT_REQUESTED and e.from_status != e.to_status,
    )


def _refusal(dossier: Dossier) -> DossierEvent | None:
    return _latest(dossier, lambda e: (e.action, e.to_status) in NEGATIVE_OUTCOMES)


def _apology(dossier: Dossier) -> DossierEvent | None:
    return _latest(dossier, lambda e: e.action in APOLOGY_ACTIONS)


def _signer(event: DossierEvent | None) -> str:
    return event.actor.full_name if event is not None and event.actor else ""


def _papers_received(dossier: Dossier) -> list[str]:
    """The papers on file; a paper dossier not yet scanned lists the procedure's papers it was taken in with."""
    attachments = list(dossier.attachments.all())
    if attachments:
        return [f"{a.paper_name} ({'đã số hóa' if a.is_digitised else 'bản quét'})" for a in attachments]
    return [f"{d.name} (bản giấy)" for d in dossier.procedure.required_documents.all() if d.mandatory]


def _receipt_body(paper: Paper, dossier: Dossier, event: DossierEvent) -> None:
    paper.paragraph(f"{dossier.agency.name} tiếp nhận hồ sơ của:")
    rows = [
        ("Ông/Bà", dossier.applicant_name),
        ("Số điện thoại", dossier.applicant_phone or "—"),
        ("Nội dung yêu cầu giải quyết", f"{dossier.procedure.name} ({dossier.procedure.code})"),
        ("Mã hồ sơ", f"{dossier.code} (số lượng: 01 bộ; {dossier.get_channel_display().lower()})"),
        ("Thời gian giải quyết theo quy định", f"{dossier.procedure.processing_days} ngày làm việc"),
        ("Thời gian nhận hồ sơ", time_and_date(dossier.received_at)),
        ("Ngày hẹn trả kết quả", time_and_date(dossier.due_at)),
        ("Hình thức nhận kết quả", dossier.get_delivery_method_display()),
        ("Phí, lệ phí", dong(dossier.amount_due)),
    ]
    paper.rows(rows, label_width=LABEL_WIDTH)
    paper.paragraph("Thành phần hồ sơ nộp gồm:", bold=True, space_before=2)
    paper.bullets(_papers_received(dossier))
    paper.signatures(("NGƯỜI NỘP HỒ SƠ", dossier.applicant_name), ("NGƯỜI TIẾP NHẬN HỒ SƠ", _signer(event)))


def _supplement_body(paper: Paper, dossier: Dossier, event: DossierEvent) -> None:
    paper.paragraph(
        f"{date_in_words(dossier.submitted_at).capitalize()}, {dossier.agency.name} tiếp nhận hồ sơ của "
        f"Ông/Bà {dossier.applicant_name}."
    )
    paper.rows(applicant_rows(dossier), label_width=LABEL_WIDTH)
    paper.paragraph("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", bold=True, space_before=2)
    asked = [paper["name"] for paper in (event.data or {}).get("papers", [])]  # dossiers.supplements.name_papers
    paper.bullets(asked or ["Theo nội dung nêu ở lý do dưới đây."])
    paper.paragraph(f"Lý do: {event.public_note}", space_before=2)
    paper.paragraph(
        f"Yêu cầu lập lúc {local_datetime(event.created_at)}. Thời gian bổ sung hồ sơ không tính vào thời hạn "
        "giải quyết. Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ bộ phận một cửa để "
        "được hướng dẫn.",
        space_before=2,
    )
    paper.signatures(("NGƯỜI HƯỚNG DẪN", _signer(event)))


def _refusal_body(paper: Paper, dossier: Dossier, event: DossierEvent) -> None:
    paper.paragraph(
        f"{date_in_words(dossier.submitted_at).capitalize()}, {dossier.agency.name} tiếp nhận hồ sơ của "
        f"Ông/Bà {dossier.applicant_name}."
    )
    paper.rows(applicant_rows(dossier), label_width=LABEL_WIDTH)
    paper.paragraph(
        f"Qua xem xét, {dossier.agency.name} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        space_before=2,
    )
    paper.paragraph(f"Lý do: {event.public_note}", bold=True)
    paper.paragraph(f"Quyết định lúc {local_datetime(event.created_at)}. Xin thông báo để Ông/Bà được biết.")
    paper.signatures(("NGƯỜI LẬP PHIẾU", _signer(event)))


def _apology_body(paper: Paper, dossier: Dossier, event: DossierEvent) -> None:
    previous, new = event.data.get("previous_due_at"), event.data.get("due_at")
    paper.paragraph(
        f"{date_in_words(dossier.received_at).capitalize()}, {dossier.agency.name} tiếp nhận giải quyết hồ sơ của "
        f"Ông/Bà {dossier.applicant_name}. Ngày hẹn trả kết quả: "
        f"{local_datetime(datetime.fromisoformat(previous)) if previous else '—'}."
    )
    paper.rows(applicant_rows(dossier), label_width=LABEL_WIDTH)
    paper.paragraph("Tuy nhiên đến nay, hồ sơ của Ông/Bà chưa giải quyết xong. Lý do chậm trả kết quả:", space_before=2)
    paper.paragraph(event.public_note, bold=True)
    paper.paragraph(
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {dossier.agency.name} xin lỗi Ông/Bà và hẹn lại ngày trả "
        f"kết quả: {local_datetime(datetime.fromisoformat(new)) if new else '—'}.",
        space_before=2,
    )
    paper.paragraph("Rất mong nhận được sự thông cảm của Ông/Bà.")
    paper.signatures(("CÁN BỘ LẬP PHIẾU", _signer(event)))


def _control_body(paper: Paper, dossier: Dossier, event: DossierEvent) -> None:
    rows = [
        *applicant_rows(dossier),
        ("Thời gian nhận hồ sơ", local_datetime(dossier.received_at)),
        ("Ngày hẹn trả kết quả", local_datetime(dossier.due_at)),
    ]
    paper.rows(rows, label_width=LABEL_WIDTH)
    paper.paragraph("Quá trình giao, nhận hồ sơ:", bold=True, space_before=2)
    header = ["Bước", "Bên giao", "Bên nhận", "Thời gian giao, nhận", "Hạn trả", "Kết quả"]
    paper.table(header, [h.cells() for h in dossier_hand_overs(dossier)], widths=[16, 20, 20, 15, 15, 11], size=6.5)


FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        "01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "giay-tiep-nhan-va-hen-tra",
        gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        True,
        gettext_noop("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận và hẹn trả kết quả."),
        _reception,
        _receipt_body,
    ),
    FormSpec(
        "02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "phieu-yeu-cau-bo-sung",
        gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        True,
        gettext_noop("Hồ sơ chưa có yêu cầu bổ sung nào."),
        _supplement_request,
        _supplement_body,
    ),
    FormSpec(
        "03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "phieu-tu-choi",
        gettext_noop("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        True,
        gettext_noop("Hồ sơ không bị từ chối."),
        _refusal,
        _refusal_body,
    ),
    FormSpec(
        "04",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "phieu-xin-loi-va-hen-lai",
        gettext_noop("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        True,
        gettext_noop("Hồ sơ chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả."),
        _apology,
        _apology_body,
    ),
    FormSpec(
        "05",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "phieu-kiem-soat",
        gettext_noop("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        False,
        gettext_noop("Hồ sơ chưa được tiếp nhận nên chưa có quá trình giải quyết."),
        _reception,
        _control_body,
    ),
)
_BY_NUMBER = {spec.number: spec for spec in FORMS}


def spec_for(number: str) -> FormSpec | None:
    return _BY_NUMBER.get(number)


def may_have(spec: FormSpec, roles: frozenset) -> bool:
    """The applicant has forms 01–04 of their dossier; the agency's officials every form."""
    return bool(roles - {Actor.APPLICANT}) or (spec.for_applicant and Actor.APPLICANT in roles)


def forms_for(dossier: Dossier, roles: frozenset) -> list[FormSpec]:
    """The forms these roles may have for the dossier now (its steps reached), for the pages' links."""
    return [spec for spec in FORMS if may_have(spec, roles) and spec.source(dossier) is not None]


def form_pdf(spec: FormSpec, dossier: Dossier, *, qr_url: str) -> Paper:
    """The form laid out (call .render() for the bytes; .qr_contents holds what its QR encodes).

    The dossier comes with its history (selectors.dossier_with_history): no query per event or paper.
    """
    source = spec.source(dossier)
    if source is None:
        raise FormNotReady(_(spec.not_ready), code="form_not_ready")
    issued_at = getattr(source, "created_at", None)
    paper = form_paper(dossier, number=spec.number, title=spec.title, qr_url=qr_url, issued_at=issued_at)
    spec.body(paper, dossier, source)
    paper.paragraph(DISCLAIMER, size=7, space_before=4)
    return paper
