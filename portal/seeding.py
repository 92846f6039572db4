"""Loading `seeds/`: each file has one loader; every record is validated before anything is written.

A loader gets the parsed JSON and the file name, raises SeedError naming the record on
bad data, and must be idempotent (update_or_create by natural key), so loading twice
changes nothing.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


class SeedError(Exception):
    def __init__(self, file_name: str, record: str | int | None, message: str):
        self.file_name = file_name
        self.record = record
        where = f"{file_name}" if record is None else f"{file_name}, record {record}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SeedFile:
    name: str
    loader: str
    demo_only: bool = False
    with_files: bool = False  # its records name files beside it (the loader is given the seeds folder)
    # Loaded after the others have committed, in transactions of its own (it writes through services
    # that commit as they go, like the history generator).
    after_commit: bool = False


# Order matters: later files refer to rows the earlier ones create.
SEED_FILES = [
    SeedFile("agencies.json", "procedures.seeding.load_agencies"),
    SeedFile("calendar.json", "procedures.seeding.load_calendar"),
    SeedFile("procedures.json", "procedures.seeding.load_procedures", with_files=True),
    SeedFile("demo_accounts.json", "portal.accounts.seeding.load_demo_accounts", demo_only=True),
    SeedFile("demo_world.json", "trainer.seeding.load_demo_world", demo_only=True, after_commit=True),
]


def read_seed_file(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SeedError(path.name, None, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc


def load_seeds(
    *,
    seeds_dir: Path = SEEDS_DIR,
    demo: bool | None = None,
    log: Callable[[str], None] = print,
    skip: frozenset[str] = frozenset(),
) -> dict:
    """Load every seed file in order, all or nothing (the after-commit ones each on their own); returns
    a count of records per file."""
    demo = settings.DEMO_MODE if demo is None else demo
    counts = {}
    unknown = set(skip) - {seed.name for seed in SEED_FILES}
    if unknown:
        raise SeedError(", ".join(sorted(unknown)), None, "no such seed file to skip")
    wanted = [seed for seed in SEED_FILES if (demo or not seed.demo_only) and seed.name not in skip]
    with transaction.atomic():
        for seed in wanted:
            if not seed.after_commit:
                counts[seed.name] = _load(seed, seeds_dir, log)
    for seed in wanted:
        if seed.after_commit:
            counts[seed.name] = _load(seed, seeds_dir, log)
    return counts


def _load(seed: SeedFile, seeds_dir: Path, log: Callable[[str], None]) -> int:
    path = seeds_dir / seed.name
    if not path.exists():
        raise SeedError(seed.name, None, "file not found")
    loader = import_string(seed.loader)
    extra = {"seeds_dir": seeds_dir} if seed.with_files else {}
    count = loader(read_seed_file(path), file_name=seed.name, **extra)
    log(f"{seed.name}: {count} records")
    return count
