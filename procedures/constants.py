from django.db import models
from django.utils.translation import gettext_lazy as _


class GovLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.IntegerChoices):
    # Decree 42/2022 names level 4 "toàn trình" and anything less "một phần".
    LEVEL_2 = 2, _("Mức độ 2 — cung cấp thông tin")
    LEVEL_3 = 3, _("Mức độ 3 — một phần")
    LEVEL_4 = 4, _("Mức độ 4 — toàn trình")


class DeliveryMethod(models.TextChoices):
    COUNTER = "counter", _("Nhận tại bộ phận một cửa")
    ONLINE = "online", _("Nhận trực tuyến")
    POSTAL = "postal", _("Nhận qua bưu chính công ích")


class IntakeChannel(models.TextChoices):
    """How a dossier reaches the agency; online submission may earn a fee discount."""

    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    POSTAL = "postal", _("Qua bưu chính")


class PostalZone(models.TextChoices):
    """How far a result travels by post from the agency's province: the postage depends on it."""

    SAME_PROVINCE = "same_province", _("Nội tỉnh")
    OTHER_PROVINCE = "other_province", _("Liên tỉnh")


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


DOCUMENT_TYPES = ("pdf", "jpeg", "png")

# Decree 42/2022 names: level 4 "toàn trình", level 3 "một phần"; level 2 only informs.
ONLINE_LEVEL_SHORT_NAMES = {
    OnlineLevel.LEVEL_2: _("Mức độ 2"),
    OnlineLevel.LEVEL_3: _("Mức độ 3"),
    OnlineLevel.LEVEL_4: _("Mức độ 4"),
}
ONLINE_SERVICE_KINDS = {
    OnlineLevel.LEVEL_2: _("cung cấp thông tin"),
    OnlineLevel.LEVEL_3: _("một phần"),
    OnlineLevel.LEVEL_4: _("toàn trình"),
}
# What each level lets the applicant choose for receiving the result.
DELIVERY_METHODS_BY_LEVEL = {
    OnlineLevel.LEVEL_2: (DeliveryMethod.COUNTER,),
    OnlineLevel.LEVEL_3: (DeliveryMethod.COUNTER, DeliveryMethod.POSTAL),
    OnlineLevel.LEVEL_4: (DeliveryMethod.ONLINE, DeliveryMethod.COUNTER, DeliveryMethod.POSTAL),
}
