import os

import pytest
from rest_framework.test import APIClient

from tests import factories


def pytest_collection_modifyitems(config, items):
    """Tests marked `services` need real servers; without their URLs they skip, saying why."""
    have_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    have_redis = bool(os.environ.get("REDIS_URL"))
    available = {"postgres": have_pg, "redis": have_redis}
    variables = {"postgres": "DATABASE_URL (PostgreSQL)", "redis": "REDIS_URL"}
    for item in items:
        marker = item.get_closest_marker("services")
        if marker is None:
            continue
        missing = [variables[need] for need in marker.kwargs.get("needs", ("postgres", "redis")) if not available[need]]
        if missing:
            item.add_marker(pytest.mark.skip(reason=f"needs {' and '.join(missing)}: run by .ci/run"))


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty throttle counters: the cache lives as long as the worker process,
    and browser tests sign in many times from one address within a minute."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def esign_root():
    """The portal's mock certificate authority, made once per test process in its temporary ESIGN_DIR
    (as `manage.py esign_init` does for a deployment): approvals sign their results with it."""
    from portal.esign import ca

    return ca.root_ensure()[0]


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def citizen(db):
    return factories.CitizenFactory()


@pytest.fixture
def citizen_client(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


@pytest.fixture
def agency(db):
    return factories.AgencyFactory()


@pytest.fixture
def procedure(agency):
    return factories.ProcedureFactory(agencies=[agency])
