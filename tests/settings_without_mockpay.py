"""The test settings without the gateway simulator: another provider is configured instead.

With these, `manage.py check` passes and the dossier tests run (see .ci/run), which keeps the portal
independent of the simulator it ships with.
"""

from portal.settings_test import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "payments.providers.mockpay"]  # noqa: F405
PAYMENT_PROVIDER = "tests.payments.fake_provider.FakePaymentProvider"
