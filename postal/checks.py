"""System checks: the configured courier must load, so a missing provider app fails at start, not at shipping."""

from django.conf import settings
from django.core.checks import Error

from postal.providers.base import CourierProvider, provider_class


def check_courier_provider(app_configs=None, **kwargs) -> list[Error]:
    path = settings.COURIER_PROVIDER
    try:
        loaded = provider_class(path)
    except Exception as exc:  # an import error, or a provider whose app is not installed
        return [
            Error(
                f"COURIER_PROVIDER {path!r} cannot be loaded: {exc}",
                hint="Install the provider's app, or point COURIER_PROVIDER at another CourierProvider.",
                id="postal.E001",
            )
        ]
    if not (isinstance(loaded, type) and issubclass(loaded, CourierProvider)):
        return [Error(f"COURIER_PROVIDER {path!r} is not a CourierProvider", id="postal.E002")]
    return []
