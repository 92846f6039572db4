import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher

from portal.accounts.backends import PhoneOrNationalIdBackend

pytestmark = pytest.mark.django_db

PASSWORD = "Matkhau@2026"


@pytest.fixture
def citizen_login(citizen):
    citizen.phone = "0901234567"
    citizen.national_id = "030085000001"
    citizen.save(update_fields=["phone", "national_id"])
    return citizen


@pytest.mark.parametrize("username", ["0901234567", "090 123 4567", "090.123.4567", "+84901234567", "030085000001"])
def test_phone_in_any_spelling_or_national_id(citizen_login, username):
    assert authenticate(None, username=username, password=PASSWORD) == citizen_login


@pytest.mark.parametrize(
    ("username", "password"),
    [("0901234567", "sai-mat-khau"), ("0909999999", PASSWORD), ("030085000002", PASSWORD), ("abc", PASSWORD)],
)
def test_wrong_or_unknown(citizen_login, username, password):
    assert authenticate(None, username=username, password=password) is None


def test_inactive_user_is_refused(citizen_login):
    citizen_login.is_active = False
    citizen_login.save(update_fields=["is_active"])
    assert authenticate(None, username="0901234567", password=PASSWORD) is None


@pytest.mark.parametrize("username", ["0909999999", "030085000002", "not-a-phone"])
def test_unknown_user_still_hashes_the_password(db, monkeypatch, username):
    calls = []
    original = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    assert PhoneOrNationalIdBackend().authenticate(None, username=username, password="x") is None
    assert calls == ["x"]
