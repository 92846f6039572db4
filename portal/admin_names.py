"""Vietnamese names for the admin pages of the libraries the portal uses, whose packages carry no
Vietnamese translation of them (login lockouts, API tokens, the periodic jobs' schedules).

Only the runtime options are set: each model's Meta stays as its package wrote it (Django's migration
state reads `_meta.original_attrs`), so no migration is asked of those packages.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "knox": _("Mã truy cập API"),
    "axes": _("Khóa đăng nhập sai nhiều lần"),
    "django_celery_beat": _("Lịch các việc chạy định kỳ"),
}
MODEL_NAMES = {
    ("knox", "authtoken"): (_("mã truy cập API"), _("mã truy cập API")),
    ("axes", "accessattempt"): (_("lần đăng nhập sai"), _("các lần đăng nhập sai")),
    ("axes", "accesslog"): (_("lượt đăng nhập"), _("nhật ký đăng nhập")),
    ("axes", "accessfailurelog"): (_("lần đăng nhập thất bại"), _("nhật ký đăng nhập thất bại")),
    ("django_celery_beat", "periodictask"): (_("việc chạy định kỳ"), _("các việc chạy định kỳ")),
    ("django_celery_beat", "intervalschedule"): (_("lịch theo khoảng thời gian"), _("lịch theo khoảng thời gian")),
    ("django_celery_beat", "crontabschedule"): (_("lịch theo giờ, ngày (crontab)"), _("lịch theo giờ, ngày (crontab)")),
    ("django_celery_beat", "solarschedule"): (_("lịch theo mặt trời"), _("lịch theo mặt trời")),
    ("django_celery_beat", "clockedschedule"): (_("lịch vào một thời điểm"), _("lịch vào một thời điểm")),
}


def library_admin_names_set() -> None:
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        try:
            options = apps.get_model(label, model_name)._meta
        except LookupError:
            continue
        options.verbose_name, options.verbose_name_plural = singular, plural
