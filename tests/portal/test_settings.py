import pytest

from tests import factories


def test_fold_strips_vietnamese_diacritics_and_d():
    from portal.text import fold

    assert fold("Cấp đổi GIẤY PHÉP lái xe") == "cap doi giay phep lai xe"
    assert fold("Đăng  ký   khai sinh") == "dang ky khai sinh"


@pytest.mark.django_db
def test_factories_build_a_verified_citizen_who_can_log_in():
    citizen = factories.CitizenFactory()
    citizen.refresh_from_db()
    assert citizen.check_password("Matkhau@2026")
    assert citizen.is_phone_verified
