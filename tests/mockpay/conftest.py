"""The simulator is exercised through the portal's payments, with the same fixtures."""

from tests.payments.conftest import awaiting, day_of_payments, owner_web, procedure4, settlement_dir  # noqa: F401
