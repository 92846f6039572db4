from django.apps import AppConfig

from portal.celery import app as celery_app


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "DVC Portal"

    def ready(self):
        # Services queue work by task name (portal.background): every process that may queue it,
        # web processes included, must know every app's tasks, not only a worker.
        celery_app.autodiscover_tasks(force=True)

        from portal.admin_names import library_admin_names_set

        library_admin_names_set()
