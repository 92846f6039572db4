from django.db import models
from django.utils.translation import gettext_lazy as _

# Fees depend on the channel, so the catalog owns the list; dossiers record it.
from procedures.constants import IntakeChannel  # noqa: F401


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thanh toán")
    SUBMITTED = "submitted", _("Đã nộp, chờ tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ phê duyệt")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    IN_DELIVERY = "in_delivery", _("Đang chuyển phát kết quả")
    COMPLETED = "completed", _("Đã hoàn thành")
    REJECTED = "rejected", _("Từ chối tiếp nhận")
    REFUSED = "refused", _("Không giải quyết")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


class Actor(models.TextChoices):
    """Who may take an action: the applicant, a counter role, or the system itself."""

    APPLICANT = "applicant", _("Người nộp")
    RECEIVER = "receiver", _("Cán bộ tiếp nhận")
    PROCESSOR = "processor", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    LEADER = "leader", _("Lãnh đạo theo dõi")
    SYSTEM = "system", _("Hệ thống")


class StoredDocumentKind(models.TextChoices):
    """What an entry of the citizen's document store is."""

    E_RESULT = "e_result", _("Kết quả điện tử")
    PAPER = "paper", _("Giấy tờ đã nộp")


class NoticeLevel(models.TextChoices):
    """How a move reaches the applicant; each row of the workflow table names one.

    ALERT: the applicant must act, or what they wait for happened: SMS and/or e-mail as they chose,
    and an in-app notice. INBOX: an in-app notice only. TIMELINE: only the dossier's timeline
    (steps between officials)."""

    ALERT = "alert", _("SMS hoặc thư điện tử và thông báo trên cổng")
    INBOX = "inbox", _("Thông báo trên cổng")
    TIMELINE = "timeline", _("Chỉ trên tiến trình hồ sơ")
