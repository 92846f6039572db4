import json
import shutil

import pytest

from portal.accounts.seeding import load_demo_accounts
from portal.seeding import SEEDS_DIR, load_seeds, read_seed_file


@pytest.fixture
def demo_settings(settings):
    settings.DEMO_MODE = True
    return settings


@pytest.fixture
def demo_people(db, demo_settings):
    """The catalog and every demo account (both seed files), but no dossier yet."""
    load_seeds(demo=False, log=lambda line: None)
    for name in ("demo_accounts.json", "demo_world.json"):
        load_demo_accounts(read_seed_file(SEEDS_DIR / name), file_name=name)


@pytest.fixture
def small_seeds(tmp_path):
    """The real seed files, with the demo world cut to the two agencies of demo_accounts.json (its citizens
    kept) and no history."""
    for path in SEEDS_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(SEEDS_DIR / "forms", tmp_path / "forms")  # the level-2 form templates procedures.json names
    world = read_seed_file(SEEDS_DIR / "demo_world.json")
    world.update(accounts=[a for a in world["accounts"] if a["role"] == "citizen"], history=[])
    (tmp_path / "demo_world.json").write_text(json.dumps(world, ensure_ascii=False), encoding="utf-8")
    return tmp_path
