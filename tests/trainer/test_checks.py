from trainer.checks import check_demo_simulators


def test_demo_mode_needs_both_simulators_as_the_providers(settings):
    settings.DEMO_MODE = True
    assert check_demo_simulators() == []
    settings.PAYMENT_PROVIDER = "tests.payments.fake_provider.FakePaymentProvider"
    assert [error.id for error in check_demo_simulators()] == ["trainer.E001"]
    settings.DEMO_MODE = False
    assert check_demo_simulators() == []
