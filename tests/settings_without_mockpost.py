"""The test settings without the post office simulator: another courier is configured instead."""

from portal.settings_test import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "postal.providers.mockpost"]  # noqa: F405
COURIER_PROVIDER = "tests.postal.fake_provider.FakeCourier"
