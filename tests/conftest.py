import os

import pytest
from rest_framework.test import APIClient

from tests import factories


def pytest_collection_modifyitems(config, items):
    """Tests marked `services` need real servers; without their URLs they skip, saying why."""
    have_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    have_redis = bool(os.environ.get("REDIS_URL"))
    skip = pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL: run by .ci/run")
    for item in items:
        marker = item.get_closest_marker("services")
        if marker is None:
            continue
        needs = set(marker.kwargs.get("needs", ("postgres", "redis")))
        if ("postgres" in needs and not have_pg) or ("redis" in needs and not have_redis):
            item.add_marker(skip)


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
