from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class TrainerConfig(AppConfig):
    name = "trainer"
    verbose_name = _("Trình diễn và hướng dẫn")

    def ready(self):
        from trainer.checks import check_demo_simulators

        checks.register(check_demo_simulators)
