from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
    OFFICIAL = "official", _("Cán bộ, công chức")


class Role(models.TextChoices):
    RECEIVER = "receiver", _("Cán bộ tiếp nhận")
    PROCESSOR = "processor", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    LEADER = "leader", _("Lãnh đạo theo dõi")
    TRAINER = "trainer", _("Người hướng dẫn")
    ADMIN = "admin", _("Quản trị hệ thống")


AGENCY_ROLES = frozenset({Role.RECEIVER, Role.PROCESSOR, Role.APPROVER, Role.LEADER})

# Used when settings.OTP_MAX_PER_HOUR is not set: how many codes one phone may get per hour.
OTP_DEFAULT_MAX_PER_HOUR = 5
OTP_LENGTH = 6
CITIZEN_ROLE = "citizen"


class OtpPurpose(models.TextChoices):
    VERIFY_PHONE = "verify_phone", _("Xác thực số điện thoại")
    SET_PASSWORD = "set_password", _("Đặt lại mật khẩu")
    CHANGE_PHONE = "change_phone", _("Đổi số điện thoại")


class NoticeChannels(models.TextChoices):
    """Where a person wants the notices that matter (in-app notices are always kept as well)."""

    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")
    BOTH = "both", _("Cả SMS và thư điện tử")


# The languages a notice can be written in; Vietnamese unless the person chose otherwise.
NOTICE_LANGUAGES = (("vi", _("Tiếng Việt")), ("en", _("English")))
NOTICE_DEFAULT_LANGUAGE = "vi"
