from celery import current_app
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The simulator's own periodic jobs: they exist only where the simulator is installed.
BEAT_SCHEDULE = {
    "mockpost-advance-parcels": {"task": "postal.providers.mockpost.tasks.advance_due_parcels", "schedule": 60.0},
    "mockpost-redeliver-notices": {
        "task": "postal.providers.mockpost.tasks.redeliver_parcel_notices",
        "schedule": 300.0,
    },
}


class MockPostConfig(AppConfig):
    name = "postal.providers.mockpost"
    label = "mockpost"
    verbose_name = _("Bưu chính mô phỏng")

    def ready(self):
        # A new dict rather than an update in place: the configured one may be the settings' own object.
        current_app.conf.beat_schedule = {**(current_app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
