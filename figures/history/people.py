"""The people in a generated history: a reusable pool of synthetic citizens, and the agency's officials.

Identities are drawn from a seeded generator and pass the portal's own validators (CCCD with a real
province code and a consistent century/sex digit, a mobile number with a real prefix). A citizen
whose national ID is already registered is reused, as counter intake does; a candidate whose phone
belongs to someone else is skipped. The same seed therefore gives the same pool, run after run.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from figures.history.params import seeded
from portal.accounts.constants import AccountKind, Role
from portal.accounts.models import StaffRole, User
from portal.accounts.validators import PROVINCE_CODES, is_mobile_phone
from procedures.models import Agency

SURNAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Phan", 3),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Đinh", 2),
    ("Trịnh", 1),
    ("Mạc", 1),
)
MALE_MIDDLE = ("Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Thanh", "Công", "Đình", "Mạnh")
FEMALE_MIDDLE = ("Thị", "Thị", "Thu", "Ngọc", "Minh", "Thanh", "Hồng", "Kim", "Phương", "Thùy")
MALE_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hoàng",
)
FEMALE_GIVEN = (
    "Anh",
    "Chi",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngọc",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Vân",
    "Yến",
)
PHONE_PREFIXES = tuple(
    prefix for prefix in (f"0{n:02d}" for n in range(30, 100)) if is_mobile_phone(f"{prefix}1234567")
)
PROVINCES = tuple(sorted(PROVINCE_CODES))
_SURNAME_NAMES = tuple(name for name, _weight in SURNAMES)
_SURNAME_WEIGHTS = tuple(weight for _name, weight in SURNAMES)
BATCH = 2_000


@dataclass(frozen=True)
class Person:
    full_name: str
    national_id: str
    phone: str


@dataclass(frozen=True)
class Applicant:
    """What a dossier copies from its applicant's account."""

    id: int
    full_name: str
    national_id: str
    phone: str


def person(rng: random.Random, *, born_from: int = 1950, born_to: int = 2004) -> Person:
    female = rng.random() < 0.5
    born = rng.randint(born_from, born_to)
    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    surname = rng.choices(_SURNAME_NAMES, weights=_SURNAME_WEIGHTS)[0]
    # The 4th digit: 0/1 born in the 1900s (male/female), 2/3 in the 2000s.
    sex_century = (0 if born < 2000 else 2) + female
    national_id = f"{rng.choice(PROVINCES)}{sex_century}{born % 100:02d}{rng.randrange(1_000_000):06d}"
    phone = f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10_000_000):07d}"
    return Person(full_name=f"{surname} {middle} {given}", national_id=national_id, phone=phone)


def _unusable_password(rng: random.Random) -> str:
    return UNUSABLE_PASSWORD_PREFIX + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40))


@dataclass
class PeopleSource:
    """Seeded candidates, skipping those whose number or phone was already handed out in this run."""

    rng: random.Random
    seen_ids: set = field(default_factory=set)
    seen_phones: set = field(default_factory=set)

    def take(self, count: int) -> list[Person]:
        found = []
        while len(found) < count:
            candidate = person(self.rng)
            if candidate.national_id in self.seen_ids or candidate.phone in self.seen_phones:
                continue
            self.seen_ids.add(candidate.national_id)
            self.seen_phones.add(candidate.phone)
            found.append(candidate)
        return found


def _accounts_for(
    people: list[Person], *, rng: random.Random, kind: str, joined: datetime
) -> list[tuple[Person, User | None]]:
    """Each candidate with its existing account (same national ID), a new unsaved one, or None when
    the phone belongs to someone else."""
    existing = {u.national_id: u for u in User.objects.filter(national_id__in=[p.national_id for p in people])}
    phones_taken = set(User.objects.filter(phone__in=[p.phone for p in people]).values_list("phone", flat=True))
    result = []
    for candidate in people:
        user = existing.get(candidate.national_id)
        if user is None and candidate.phone not in phones_taken:
            joined_at = joined - timedelta(days=rng.randrange(1, 1500), seconds=rng.randrange(86_400))
            verified = rng.random() < 0.7 or kind == AccountKind.OFFICIAL
            user = User(
                kind=kind,
                full_name=candidate.full_name,
                phone=candidate.phone,
                national_id=candidate.national_id,
                password=_unusable_password(rng),
                date_joined=joined_at,
                phone_verified_at=joined_at + timedelta(minutes=2) if verified else None,
            )
        result.append((candidate, user))
    return result


def applicant_pool(*, size: int, seed: int, joined_before: datetime) -> tuple[list[Applicant], int]:
    """`size` citizens (reused or created) and how many were created."""
    rng = seeded(seed, "applicants")
    source = PeopleSource(rng)
    pool, created = [], 0
    while len(pool) < size:
        wanted = min(BATCH, size - len(pool))
        pairs = [
            pair
            for pair in _accounts_for(source.take(wanted), rng=rng, kind=AccountKind.CITIZEN, joined=joined_before)
            if pair[1] is not None
        ]
        new = [user for _person, user in pairs if user.pk is None]
        User.objects.bulk_create(new)
        created += len(new)
        pool += [Applicant(user.pk, user.full_name, user.national_id or "", user.phone) for _p, user in pairs]
    return pool, created


@dataclass
class Officials:
    """User ids of the agency's officials per counter role; `created` names the synthetic ones."""

    by_role: dict[str, list[int]]
    created: list[str]

    def ids(self, role: str) -> list[int]:
        return self.by_role[role]


COUNTER_ROLES = (Role.RECEIVER, Role.PROCESSOR, Role.APPROVER)


def officials_for(*, agency: Agency, seed: int, joined_before: datetime) -> Officials:
    """The agency's receivers, processors and approvers; one synthetic official for each role nobody holds."""
    by_role = {role: [] for role in COUNTER_ROLES}
    for user_id, role in (
        StaffRole.objects.filter(agency=agency, role__in=COUNTER_ROLES)
        .order_by("user_id")
        .values_list("user_id", "role")
    ):
        by_role[role].append(user_id)
    missing = [role for role in COUNTER_ROLES if not by_role[role]]
    created = []
    if missing:
        rng = seeded(seed, f"officials:{agency.code}")
        source = PeopleSource(rng)
        for role in missing:
            user = None
            while user is None:
                ((_candidate, user),) = _accounts_for(
                    source.take(1), rng=rng, kind=AccountKind.OFFICIAL, joined=joined_before
                )
            if user.pk is None:
                user.save()
                created.append(f"{Role(role).label}: {user.full_name} ({user.phone})")
            StaffRole.objects.get_or_create(user=user, role=role, agency=agency)
            by_role[role].append(user.pk)
    return Officials(by_role=by_role, created=created)
