from celery import current_app
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The simulator's own periodic job: it exists only where the simulator is installed.
BEAT_SCHEDULE = {
    "mockvneid-clear-sign-ins": {
        "task": "portal.accounts.providers.mockvneid.tasks.clear_sign_ins",
        "schedule": 3600.0,
    },
}


class MockVneidConfig(AppConfig):
    name = "portal.accounts.providers.mockvneid"
    label = "mockvneid"
    verbose_name = _("Định danh điện tử VNeID (mô phỏng)")

    def ready(self):
        from portal.accounts.providers.mockvneid import setup

        # The population register and the portal's client registration exist after every migrate (and after
        # the flush of a transactional test), as the real provider's would before the portal first calls it.
        post_migrate.connect(setup.on_post_migrate, sender=self)
        # A new dict rather than an update in place: the configured one may be the settings' own object.
        current_app.conf.beat_schedule = {**(current_app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
