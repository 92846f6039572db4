import pytest

from tests.postal.helpers import commune_of_hai_duong, procedure_at, shipped


@pytest.fixture(autouse=True)
def courier_in_process(settings):
    settings.MOCKPOST_NOTICE_URL = ""
    settings.MOCKPOST_FAILED_DELIVERY_PERCENT = 0
    settings.MOCKPOST_TIME_SCALE = 1.0


@pytest.fixture
def commune(db):
    return commune_of_hai_duong()


@pytest.fixture
def procedure3(commune):
    return procedure_at(commune)


@pytest.fixture
def shipment(procedure3):
    """A level-3 postal dossier, shipped with its fee still owed."""
    return shipped(procedure3)
