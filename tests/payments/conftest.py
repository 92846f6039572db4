import pytest

from payments.models import Payment
from tests import factories
from tests.dossiers.builders import make_dossier
from tests.payments.helpers import TOTAL, level4_procedure, pay_on_gateway, start


@pytest.fixture(autouse=True)
def settlement_dir(settings, tmp_path):
    settings.PAYMENT_SETTLEMENT_DIR = str(tmp_path / "settlements")
    settings.MOCKPAY_NOTICE_URL = ""
    settings.MOCKPAY_FAILING_REFUNDS = 0
    return tmp_path / "settlements"


@pytest.fixture
def procedure4(db):
    return level4_procedure()


@pytest.fixture
def awaiting(procedure4):
    """A level-4 dossier with a fee, submitted online and waiting for payment."""
    dossier = make_dossier("submitted", procedure=procedure4)
    assert dossier.status == "awaiting_payment" and dossier.amount_due == TOTAL
    return dossier


@pytest.fixture
def owner_client(awaiting):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(awaiting.applicant)
    return client


@pytest.fixture
def stranger(db):
    return factories.CitizenFactory()


@pytest.fixture
def owner_web(client, awaiting):
    client.force_login(awaiting.applicant)
    return client


@pytest.fixture
def day_of_payments(procedure4, django_capture_on_commit_callbacks):
    """Five payments today, all agreeing on both sides: three paid, one failed, one still open."""
    payments = []
    for outcome in ("succeeded", "succeeded", "succeeded", "failed", "timeout"):
        payment = start(make_dossier("submitted", procedure=procedure4))
        with django_capture_on_commit_callbacks(execute=True):
            pay_on_gateway(payment, outcome=outcome)
        payments.append(Payment.objects.get(pk=payment.pk))
    return payments
