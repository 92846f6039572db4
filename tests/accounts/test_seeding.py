import copy
import json

import pytest

from portal.accounts.constants import AGENCY_ROLES, AccountKind, Role
from portal.accounts.models import StaffRole, User
from portal.accounts.seeding import load_demo_accounts
from portal.seeding import SEEDS_DIR, SeedError
from procedures.constants import GovLevel
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

FILE = "demo_accounts.json"


@pytest.fixture
def demo_data():
    return json.loads((SEEDS_DIR / FILE).read_text(encoding="utf-8"))


@pytest.fixture
def seeded_agencies():
    """The agencies the demo accounts name, as seeds/agencies.json describes them."""
    agencies = json.loads((SEEDS_DIR / "agencies.json").read_text(encoding="utf-8"))
    by_code = {agency["code"]: agency for agency in agencies}
    wanted = {
        record["agency"] for record in json.loads((SEEDS_DIR / FILE).read_text())["accounts"] if "agency" in record
    }
    assert wanted <= set(by_code), "demo accounts name agencies missing from seeds/agencies.json"
    for code in sorted(wanted):
        AgencyFactory(code=code, name=by_code[code]["name"], gov_level=by_code[code]["gov_level"])
    return by_code


def test_demo_accounts_cover_every_role(demo_data, seeded_agencies):
    assert load_demo_accounts(demo_data, file_name=FILE) == len(demo_data["accounts"])
    assert User.objects.filter(kind=AccountKind.CITIZEN).count() >= 2
    assert User.objects.filter(kind=AccountKind.ORGANISATION).count() >= 1
    assert set(StaffRole.objects.values_list("role", flat=True)) == set(Role.values)
    levels = {
        (role, seeded_agencies[code]["gov_level"])
        for role, code in StaffRole.objects.filter(role__in=AGENCY_ROLES).values_list("role", "agency__code")
    }
    for role in (Role.RECEIVER, Role.PROCESSOR, Role.APPROVER):
        assert {(role, GovLevel.PROVINCE), (role, GovLevel.COMMUNE)} <= levels
    assert all(user.is_phone_verified for user in User.objects.all())
    assert all(user.check_password(demo_data["password"]) for user in User.objects.all())
    assert User.objects.get(staff_roles__role=Role.ADMIN).is_superuser


def test_demo_leader_is_at_the_province_ubnd(demo_data, seeded_agencies):
    load_demo_accounts(demo_data, file_name=FILE)
    leader_agency = StaffRole.objects.get(role=Role.LEADER).agency
    assert seeded_agencies[leader_agency.code]["parent"] is None


def test_loading_twice_changes_nothing(demo_data, seeded_agencies):
    load_demo_accounts(demo_data, file_name=FILE)
    before = list(User.objects.order_by("pk").values())
    roles_before = list(StaffRole.objects.order_by("pk").values())
    load_demo_accounts(demo_data, file_name=FILE)
    assert list(User.objects.order_by("pk").values()) == before
    assert list(StaffRole.objects.order_by("pk").values()) == roles_before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["accounts"][0].update(phone="12345"), "phone: "),
        (lambda d: d["accounts"][0].update(national_id="999999999999"), "national_id: "),
        (lambda d: d["accounts"][2].update(tax_code="12"), "tax_code: "),
        (lambda d: d["accounts"][3].update(agency="999.99.99.H99"), "agency 999.99.99.H99 not found"),
        (lambda d: d["accounts"][3].pop("agency"), "needs an agency"),
        (lambda d: d["accounts"][0].update(role="mayor"), "unknown role"),
        (lambda d: d["accounts"][0].pop("full_name"), "missing full_name"),
        (lambda d: d["accounts"][1].update(phone=d["accounts"][0]["phone"]), "phone listed twice"),
        (lambda d: d.pop("password"), "no password"),
        (lambda d: d.update(password="123"), "password: "),
        (lambda d: d["accounts"][10].update(agency="000.00.01.H26"), "agency: "),
    ],
)
def test_bad_records_raise_seed_error(demo_data, seeded_agencies, change, message):
    data = copy.deepcopy(demo_data)
    change(data)
    with pytest.raises(SeedError) as info:
        load_demo_accounts(data, file_name=FILE)
    assert str(info.value).startswith(f"{FILE}, record ")
    assert message in str(info.value)


def test_wrong_shape_raises_seed_error():
    with pytest.raises(SeedError):
        load_demo_accounts([], file_name=FILE)
