"""The simulator's daily settlement file."""

import pytest
from django.utils import timezone

from payments.providers.mockpay.settlement import settlement_path, settlement_write

pytestmark = pytest.mark.django_db


def test_the_settlement_file_is_written_once(day_of_payments):
    today = timezone.localdate()
    path = settlement_write(day=today)
    assert path == settlement_path(today) and len(path.read_text().splitlines()) == 6
    path.write_text("provider_ref,payment_id,amount,status,completed_at\n")
    settlement_write(day=today)
    assert len(path.read_text().splitlines()) == 1
