from celery import current_app
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The simulator's own periodic jobs: they exist only where the simulator is installed.
BEAT_SCHEDULE = {
    "mockpay-redeliver-notices": {
        "task": "payments.providers.mockpay.tasks.redeliver_gateway_notices",
        "schedule": 300.0,
    },
    "mockpay-daily-settlement": {"task": "payments.providers.mockpay.tasks.write_daily_settlement", "schedule": 3600.0},
}


class MockPayConfig(AppConfig):
    name = "payments.providers.mockpay"
    label = "mockpay"
    verbose_name = _("Cổng thanh toán mô phỏng")

    def ready(self):
        # A new dict rather than an update in place: the configured one may be the settings' own object.
        current_app.conf.beat_schedule = {**(current_app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
