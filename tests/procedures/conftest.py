import pytest

from portal.seeding import load_seeds


@pytest.fixture
def seeded(db):
    """The real seeds, as a fresh install loads them."""
    return load_seeds(demo=False, log=lambda line: None)
