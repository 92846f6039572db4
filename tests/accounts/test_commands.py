import pytest
from django.core.management import CommandError, call_command

from portal.accounts.constants import AGENCY_ROLES, AccountKind, Role
from portal.accounts.models import StaffRole, User
from portal.accounts.services import registration as reg
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Demo@2026"


def _create(role, *, agency=None, phone="0913111222", national_id="030080111222", **extra):
    args = ["--role", role, "--phone", phone, "--full-name", "Cán Bộ Mẫu", "--password", PASSWORD]
    if national_id:
        args += ["--national-id", national_id]
    if agency:
        args += ["--agency", agency]
    for key, value in extra.items():
        args += [f"--{key}", value]
    call_command("create_user", *args)
    return User.objects.get(phone=phone)


@pytest.mark.parametrize("role", sorted(AGENCY_ROLES))
def test_agency_roles(role):
    agency = AgencyFactory(code="000.00.01.H26")
    user = _create(role, agency=agency.code)
    assert user.kind == AccountKind.OFFICIAL
    assert user.is_phone_verified
    assert user.check_password(PASSWORD)
    assert list(user.staff_roles.values_list("role", "agency__code")) == [(role, "000.00.01.H26")]
    assert not user.is_staff


def test_trainer_has_no_agency_and_no_admin_rights():
    user = _create(Role.TRAINER)
    assert list(user.staff_roles.values_list("role", "agency")) == [(Role.TRAINER, None)]
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_admin_is_staff_and_superuser():
    user = _create(Role.ADMIN, email="qt@example.com")
    assert (user.is_staff, user.is_superuser) == (True, True)
    assert user.email == "qt@example.com"


def test_citizen_role_makes_a_plain_verified_citizen():
    user = _create("citizen")
    assert user.kind == AccountKind.CITIZEN
    assert user.is_phone_verified
    assert not user.staff_roles.exists()


def test_rerun_updates_the_same_account():
    first = AgencyFactory(code="000.00.01.H26")
    second = AgencyFactory(code="000.01.15.H26")
    _create(Role.RECEIVER, agency=first.code)
    user = _create(Role.APPROVER, agency=second.code)
    assert User.objects.count() == 1
    assert list(StaffRole.objects.values_list("role", "agency__code")) == [(Role.APPROVER, "000.01.15.H26")]
    user = _create(Role.ADMIN)
    assert user.is_superuser
    user = _create("citizen")
    assert (user.kind, user.is_staff, user.is_superuser) == (AccountKind.CITIZEN, False, False)
    assert not StaffRole.objects.exists()


@pytest.mark.parametrize(
    ("role", "kwargs", "message"),
    [
        (Role.RECEIVER, {}, f"--agency: {reg.AGENCY_REQUIRED}"),
        (Role.RECEIVER, {"agency": "999.99.99.H99"}, f"--agency: {reg.AGENCY_NOT_FOUND}"),
        (Role.TRAINER, {"agency": "000.00.01.H26"}, f"--agency: {reg.AGENCY_NOT_ALLOWED}"),
        (Role.ADMIN, {"agency": "000.00.01.H26"}, f"--agency: {reg.AGENCY_NOT_ALLOWED}"),
        (Role.TRAINER, {"phone": "12345"}, "--phone: Số điện thoại di động không hợp lệ"),
        (Role.TRAINER, {"national_id": "1234"}, "--national-id: Số CCCD phải gồm đúng 12 chữ số."),
        ("citizen", {"national_id": ""}, f"--national-id: {reg.NATIONAL_ID_REQUIRED}"),
    ],
)
def test_bad_input_is_a_command_error(role, kwargs, message):
    AgencyFactory(code="000.00.01.H26")
    with pytest.raises(CommandError) as info:
        _create(role, **kwargs)
    assert str(info.value).startswith(message)
    assert not User.objects.exists()


def test_unknown_role_is_refused():
    with pytest.raises(CommandError):
        _create("mayor")


def test_weak_password_is_refused():
    with pytest.raises(CommandError) as info:
        call_command(
            "create_user", "--role", "trainer", "--phone", "0913111222", "--full-name", "A", "--password", "123"
        )
    assert str(info.value).startswith("--password:")


def test_national_id_of_another_account_is_refused(citizen):
    with pytest.raises(CommandError) as info:
        _create(Role.TRAINER, national_id=citizen.national_id)
    assert str(info.value) == f"--national-id: {reg.NATIONAL_ID_TAKEN}"
