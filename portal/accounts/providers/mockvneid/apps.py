from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MockVneidConfig(AppConfig):
    name = "portal.accounts.providers.mockvneid"
    label = "mockvneid"
    verbose_name = "MockVNeID"

    def ready(self):
        from portal.accounts.providers.mockvneid import setup

        # The population register and the portal's client registration exist after every migrate (and after
        # the flush of a transactional test), as the real provider's would before the portal first calls it.
        post_migrate.connect(setup.on_post_migrate, sender=self)
