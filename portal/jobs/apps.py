from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "portal.jobs"
    label = "jobs"
    verbose_name = _("Tác vụ nền")

    def ready(self):
        from portal.jobs import receivers  # noqa: F401 (connects the Celery signal receivers)
