"""The configured gateway is checked at start: a provider whose app is missing is an error, not a 500 later."""

from payments.checks import check_payment_provider


def test_the_configured_provider_passes(settings):
    assert check_payment_provider() == []


def test_a_provider_that_cannot_load_is_reported(settings):
    settings.PAYMENT_PROVIDER = "nowhere.provider.Gateway"
    assert [error.id for error in check_payment_provider()] == ["payments.E001"]


def test_something_that_is_not_a_provider_is_reported(settings):
    settings.PAYMENT_PROVIDER = "payments.constants.PaymentStatus"
    assert [error.id for error in check_payment_provider()] == ["payments.E002"]
