"""System check: the demo world and the scenarios drive the simulated bank and post office, so demo mode
needs both installed (and configured as the providers)."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error

SIMULATORS = {
    "payments.providers.mockpay": ("PAYMENT_PROVIDER", "payments.providers.mockpay.provider.MockPayProvider"),
    "postal.providers.mockpost": ("COURIER_PROVIDER", "postal.providers.mockpost.provider.MockPostProvider"),
}


def check_demo_simulators(app_configs=None, **kwargs) -> list[Error]:
    if not settings.DEMO_MODE:
        return []
    errors = []
    for app, (setting, provider) in SIMULATORS.items():
        if not apps.is_installed(app) or getattr(settings, setting) != provider:
            errors.append(
                Error(
                    f"DEMO_MODE needs the simulator {app} installed and {setting} = {provider!r}",
                    hint="Turn DEMO_MODE off with another provider, or put the simulator back.",
                    id="trainer.E001",
                )
            )
    return errors
