import pytest
from django.db import transaction
from django.test import TestCase
from rest_framework.test import APIClient

from figures.rollups import rebuild_rollups
from portal.accounts.constants import Role
from tests import factories
from tests.figures import world as w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The March week of tests/figures/world.py, its rollups rebuilt: built once per module inside a
    transaction that each test's own one nests in, and rolled back after the module's last test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = w.build(TestCase.captureOnCommitCallbacks)
            rebuild_rollups(date_from=w.MARCH[0], date_to=w.MARCH[1])
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def admin_client(db):
    return client_for(factories.make_official(role=Role.ADMIN))


@pytest.fixture
def leader_of(db):
    def make(agency):
        return client_for(factories.make_official(role=Role.LEADER, agency=agency))

    return make
