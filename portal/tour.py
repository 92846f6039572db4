"""The guided tour: a panel on the main citizen and office pages saying what this step is and what to
do next, in the active language. On a dossier's page it speaks of the dossier's current status.

Who sees it: in demo mode everyone, until they hide it; outside demo mode nobody, until they show it
(the switch in the footer). The choice is kept in the session, so a trainer turns it on or off for the
browser they are demonstrating on, and signing in as someone else in that browser starts afresh.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dossiers.constants import DossierStatus

S = DossierStatus
SESSION_KEY = "tour"
ON, OFF = "on", "off"

register = template.Library()


@dataclass(frozen=True)
class Tip:
    title: str
    text: str


PAGES: dict[str, Tip] = {
    "home": Tip(
        _("Bắt đầu: tìm thủ tục"),
        _(
            "Gõ tên thủ tục cần làm vào ô tìm kiếm (ví dụ: đăng ký khai sinh) hoặc chọn theo lĩnh vực. "
            "Thủ tục mức độ toàn trình (mức 4) nộp, thanh toán và nhận kết quả trực tuyến được."
        ),
    ),
    "procedures:catalog": Tip(
        _("Chọn thủ tục"),
        _(
            "Lọc theo cơ quan, lĩnh vực hay mức độ dịch vụ, rồi bấm vào tên thủ tục để xem hồ sơ cần chuẩn bị, "
            "thời hạn giải quyết và phí, lệ phí."
        ),
    ),
    "procedures:detail": Tip(
        _("Đọc kỹ thủ tục trước khi nộp"),
        _(
            "Xem thành phần hồ sơ, thời hạn (tính theo ngày làm việc) và phí. Bấm “Nộp hồ sơ trực tuyến” để bắt "
            "đầu (cần đăng nhập); thủ tục chỉ cung cấp thông tin thì mang hồ sơ giấy đến bộ phận một cửa."
        ),
    ),
    "dossiers:new": Tip(
        _("Chọn nơi nộp"),
        _("Chọn cơ quan giải quyết gần bạn rồi bắt đầu khai. Hồ sơ được lưu nháp, bạn có thể làm tiếp sau."),
    ),
    "dossiers:edit": Tip(
        _("Bước 1/4: khai tờ khai"),
        _(
            "Điền các ô của tờ khai; thông tin tài khoản đã được điền sẵn. Ô có dấu * là bắt buộc. "
            "“Lưu nháp” để làm tiếp sau, “Tiếp tục” để sang bước đính kèm giấy tờ."
        ),
    ),
    "dossiers:edit-step:attachments": Tip(
        _("Bước 2/4: đính kèm giấy tờ"),
        _(
            "Tải lên bản chụp hoặc bản quét (PDF, ảnh) của từng giấy tờ trong danh sách. Giấy tờ đã nộp ở hồ sơ "
            "trước có thể dùng lại."
        ),
    ),
    "dossiers:edit-step:delivery": Tip(
        _("Bước 3/4: chọn cách nhận kết quả"),
        _(
            "Nhận tại bộ phận một cửa, nhận trực tuyến, hoặc qua bưu chính công ích: khi đó nhập địa chỉ nhận "
            "theo tỉnh, xã; cước bưu chính được tính cùng phí."
        ),
    ),
    "dossiers:edit-step:review": Tip(
        _("Bước 4/4: kiểm tra và nộp"),
        _(
            "Đọc lại tờ khai, giấy tờ và phí rồi bấm “Nộp hồ sơ”. Hồ sơ có phí nộp trực tuyến sẽ chuyển sang "
            "bước thanh toán; sau khi nộp, hồ sơ có mã số để tra cứu."
        ),
    ),
    "dossiers:list": Tip(
        _("Hồ sơ của tôi"),
        _(
            "Mọi hồ sơ bạn đã nộp hoặc đang khai, với trạng thái hiện tại. Chọn một hồ sơ để xem tiến độ, "
            "bổ sung khi được yêu cầu, thanh toán, hoặc rút hồ sơ."
        ),
    ),
    "office:queue": Tip(
        _("Hàng đợi hồ sơ của cơ quan"),
        _(
            "Các thẻ chia hồ sơ theo bước xử lý; ưu tiên hồ sơ “Quá hạn” và “Sắp đến hạn”. Bấm mã hồ sơ để "
            "thao tác. Cán bộ tiếp nhận đăng ký hồ sơ giấy nộp tại quầy bằng “Tiếp nhận hồ sơ giấy”."
        ),
    ),
}

CITIZEN_STATUS: dict[str, str] = {
    S.DRAFT: _(
        "Hồ sơ còn là bản nháp, chưa gửi đến cơ quan: mở “Hồ sơ của tôi” và bấm “Tiếp tục soạn” để hoàn thành và nộp."
    ),
    S.AWAITING_PAYMENT: _(
        "Hồ sơ đã nộp, đang chờ thanh toán phí, lệ phí: bấm “Thanh toán trực tuyến”. Quá hạn thanh toán, hồ sơ tự rút."
    ),
    S.SUBMITTED: _(
        "Hồ sơ đã đến bộ phận một cửa, chờ cán bộ kiểm tra. Khi được tiếp nhận, bạn nhận giấy tiếp nhận và "
        "ngày hẹn trả kết quả."
    ),
    S.PROCESSING: _(
        "Hồ sơ đã được tiếp nhận và đang được xử lý. Ngày hẹn trả tính theo ngày làm việc; bạn được báo "
        "qua tin nhắn ở mỗi bước."
    ),
    S.SUPPLEMENT_REQUESTED: _(
        "Cơ quan yêu cầu bổ sung: đọc nội dung cần bổ sung, đính kèm giấy tờ rồi bấm “Gửi bổ sung”. "
        "Thời gian chờ bổ sung không tính vào thời hạn giải quyết."
    ),
    S.AWAITING_APPROVAL: _("Hồ sơ đã được xử lý, đang chờ lãnh đạo phê duyệt."),
    S.RESULT_READY: _(
        "Đã có kết quả: tải tệp kết quả nếu được nhận trực tuyến, hoặc đến bộ phận một cửa nhận bản giấy "
        "(nộp phí còn thiếu, nếu có)."
    ),
    S.IN_DELIVERY: _("Kết quả đang được bưu điện chuyển đến địa chỉ bạn đã chọn."),
    S.COMPLETED: _("Hồ sơ đã hoàn thành. Hãy đánh giá mức độ hài lòng để cơ quan phục vụ tốt hơn."),
    S.REJECTED: _("Hồ sơ không được tiếp nhận; lý do ghi trong quá trình xử lý. Phí đã nộp được hoàn lại."),
    S.REFUSED: _("Cơ quan không giải quyết hồ sơ; lý do ghi trong quá trình xử lý. Phí đã nộp được hoàn lại."),
    S.WITHDRAWN: _("Hồ sơ đã được rút (hoặc hết hạn thanh toán) và không còn được xử lý."),
}

OFFICE_STATUS: dict[str, str] = {
    S.DRAFT: _("Hồ sơ chưa được nộp: chưa có việc của bộ phận một cửa."),
    S.AWAITING_PAYMENT: _(
        "Hồ sơ chờ người nộp thanh toán trực tuyến; khi cổng thanh toán xác nhận, hồ sơ vào hàng đợi."
    ),
    S.SUBMITTED: _(
        "Cán bộ tiếp nhận kiểm tra hồ sơ: “Tiếp nhận hồ sơ” để bắt đầu tính hạn, “Yêu cầu bổ sung hồ sơ” "
        "nếu thiếu giấy tờ, hoặc “Từ chối tiếp nhận” kèm lý do."
    ),
    S.PROCESSING: _(
        "Phân công chuyên viên xử lý; chuyên viên thẩm định rồi “Trình phê duyệt”, hoặc yêu cầu bổ sung. "
        "Nếu sắp trễ hẹn, lập phiếu xin lỗi và hẹn lại ngày trả."
    ),
    S.SUPPLEMENT_REQUESTED: _("Đang chờ người nộp bổ sung; thời hạn giải quyết tạm dừng đến khi có bổ sung."),
    S.AWAITING_APPROVAL: _(
        "Lãnh đạo “Phê duyệt, có kết quả” kèm tệp kết quả, “Trả lại để xử lý lại”, hoặc “Không giải quyết” kèm lý do."
    ),
    S.RESULT_READY: _(
        "Cán bộ tiếp nhận thu phí còn thiếu (nếu có), rồi “Trả kết quả” tại quầy hoặc “Gửi kết quả qua bưu chính”."
    ),
    S.IN_DELIVERY: _("Bưu điện đang chuyển kết quả; khi phát xong, hồ sơ tự hoàn thành."),
    S.COMPLETED: _("Hồ sơ đã kết thúc: không còn thao tác. Xem lại quá trình xử lý và sơ đồ quy trình."),
    S.REJECTED: _("Hồ sơ đã bị từ chối tiếp nhận: không còn thao tác; phí đã nộp được hoàn lại."),
    S.REFUSED: _("Hồ sơ không được giải quyết: không còn thao tác; phí đã nộp được hoàn lại."),
    S.WITHDRAWN: _("Người nộp đã rút hồ sơ (hoặc hết hạn thanh toán): không còn thao tác."),
}

DOSSIER_PAGES = {"dossiers:detail": CITIZEN_STATUS, "office:detail": OFFICE_STATUS}
DOSSIER_TITLE = _("Bước hiện tại: %(status)s")


def tour_visible(request) -> bool:
    choice = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return choice == ON or (settings.DEMO_MODE and choice != OFF)


def tour_tip(request, dossier=None) -> Tip | None:
    """What the panel says on this page, or None where the tour has nothing to say."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.view_name in DOSSIER_PAGES and dossier is not None:
        text = DOSSIER_PAGES[match.view_name].get(dossier.status)
        title = DOSSIER_TITLE % {"status": dossier.get_status_display()}
        return Tip(title, text) if text else None
    key = match.view_name
    if key == "dossiers:edit-step":
        key = f"{key}:{match.kwargs.get('step', '')}"
    return PAGES.get(key)


@register.inclusion_tag("portal/partials/tour.html", takes_context=True)
def tour_panel(context):
    request = context.get("request")
    tip = tour_tip(request, context.get("dossier")) if request is not None else None
    return {
        "tip": tip,
        "visible": tip is not None and tour_visible(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("portal/partials/tour_switch.html", takes_context=True)
def tour_switch(context):
    """The footer's switch: shown where the page has a tour and it is hidden."""
    request = context.get("request")
    tip = tour_tip(request, context.get("dossier")) if request is not None else None
    return {
        "offer": tip is not None and not tour_visible(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
