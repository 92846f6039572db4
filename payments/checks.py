"""System checks: the configured gateway must load, so a missing provider app fails at start, not at payment."""

from django.conf import settings
from django.core.checks import Error

from payments.providers.base import PaymentProvider, provider_class


def check_payment_provider(app_configs=None, **kwargs) -> list[Error]:
    path = settings.PAYMENT_PROVIDER
    try:
        loaded = provider_class(path)
    except Exception as exc:  # an import error, or a provider whose app is not installed
        return [
            Error(
                f"PAYMENT_PROVIDER {path!r} cannot be loaded: {exc}",
                hint="Install the provider's app, or point PAYMENT_PROVIDER at another PaymentProvider.",
                id="payments.E001",
            )
        ]
    if not (isinstance(loaded, type) and issubclass(loaded, PaymentProvider)):
        return [Error(f"PAYMENT_PROVIDER {path!r} is not a PaymentProvider", id="payments.E002")]
    return []
