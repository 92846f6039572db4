from django.db import models
from django.utils.translation import gettext_lazy as _

# A rating this low (of 5) is a dissatisfied applicant: Decision 766 subtracts them from satisfaction.
DISSATISFIED_MAX_SCORE = 2
# "Procedures offered online with no online dossier in the last three years" looks back this far.
IDLE_ONLINE_YEARS = 3


class TargetMetric(models.TextChoices):
    """What a yearly target can be set on; every one is a share, reached when the actual is at least the target."""

    ONLINE_RATIO = "online_ratio", _("Tỷ lệ hồ sơ tiếp nhận trực tuyến")
    ON_TIME_RATIO = "on_time_ratio", _("Tỷ lệ hồ sơ giải quyết đúng hạn")
    LEVEL4_COVERAGE = "level4_coverage", _("Tỷ lệ thủ tục cung cấp trực tuyến toàn trình")
