from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    SUCCEEDED = "succeeded", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã hủy thanh toán")
    EXPIRED = "expired", _("Hết hạn thanh toán")
    REFUND_PENDING = "refund_pending", _("Đang hoàn tiền")
    REFUNDED = "refunded", _("Đã hoàn tiền")
    REFUND_FAILED = "refund_failed", _("Hoàn tiền lỗi, đang thử lại")


S = PaymentStatus

# The payment state machine: every status change goes through payments.services.payment_move, which reads this.
# A success reported by the gateway wins over an expiry or cancellation the portal assumed on its own, and
# over a failure the gateway reported earlier (once the gateway confirms it when asked: see
# services/callbacks.py): money that was taken must be recorded (and refunded if the dossier no longer wants it).
PAYMENT_TRANSITIONS: dict[str, frozenset] = {
    S.PENDING: frozenset({S.SUCCEEDED, S.FAILED, S.CANCELLED, S.EXPIRED}),
    S.EXPIRED: frozenset({S.SUCCEEDED}),
    S.CANCELLED: frozenset({S.SUCCEEDED}),
    S.SUCCEEDED: frozenset({S.REFUND_PENDING}),
    S.REFUND_PENDING: frozenset({S.REFUNDED, S.REFUND_FAILED}),
    S.REFUND_FAILED: frozenset({S.REFUND_PENDING, S.REFUNDED}),
    S.FAILED: frozenset({S.SUCCEEDED}),
    S.REFUNDED: frozenset(),
}
# Money is (or was) with the treasury in these: they carry a receipt.
PAID_STATUSES = frozenset({S.SUCCEEDED, S.REFUND_PENDING, S.REFUNDED, S.REFUND_FAILED})
# A payment that ended without money changing hands: the dossier may be paid again.
UNPAID_FINAL_STATUSES = frozenset({S.FAILED, S.CANCELLED, S.EXPIRED})


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Thẻ ngân hàng")
    QR = "qr", _("Quét mã QR")
    WALLET = "wallet", _("Ví điện tử")


class NoticeEvent(models.TextChoices):
    """The kinds of server-to-server notice a gateway sends to POST /api/v1/payments/callback/."""

    PAYMENT_SUCCEEDED = "payment.succeeded", _("Thanh toán thành công")
    PAYMENT_FAILED = "payment.failed", _("Thanh toán không thành công")
    REFUND_SUCCEEDED = "refund.succeeded", _("Hoàn tiền thành công")
    REFUND_FAILED = "refund.failed", _("Hoàn tiền lỗi")


NOTICE_TARGET = {
    NoticeEvent.PAYMENT_SUCCEEDED: S.SUCCEEDED,
    NoticeEvent.PAYMENT_FAILED: S.FAILED,
    NoticeEvent.REFUND_SUCCEEDED: S.REFUNDED,
    NoticeEvent.REFUND_FAILED: S.REFUND_FAILED,
}


class AlertKind(models.TextChoices):
    AMOUNT_MISMATCH = "amount_mismatch", _("Số tiền không khớp")
    REFUND_FAILED = "refund_failed", _("Hoàn tiền lỗi")
    LATE_SUCCESS = "late_success", _("Thanh toán thành công sau khi hồ sơ đã đóng")
    SUCCESS_AFTER_FAILURE = "success_after_failure", _("Cổng báo thành công sau khi đã báo thất bại")


class MismatchKind(models.TextChoices):
    MISSING_IN_PORTAL = "missing_in_portal", _("Có trong file đối soát, không có trên cổng")
    MISSING_IN_SETTLEMENT = "missing_in_settlement", _("Có trên cổng, không có trong file đối soát")
    AMOUNT_DIFFERS = "amount_differs", _("Số tiền khác nhau")
    STATUS_DIFFERS = "status_differs", _("Trạng thái khác nhau")


# Callbacks signed longer ago (or further ahead) than this are refused as stale.
SIGNATURE_TOLERANCE_SECONDS = 300
