import pytest

from procedures import addresses
from procedures.constants import GovLevel, PostalZone
from procedures.fees import postal_zone
from tests import factories


def test_names_match_case_and_diacritics_insensitively_and_come_back_canonical():
    canonical, errors = addresses.canonical_address(
        {"province": "ha noi", "commune": "HOAN KIEM", "street": "1 Tràng Tiền"}
    )
    assert errors == {}
    assert canonical == {
        "province": "Thành phố Hà Nội",
        "province_code": 1,
        "commune": "Phường Hoàn Kiếm",
        "commune_code": 70,
        "street": "1 Tràng Tiền",
    }


@pytest.mark.parametrize(
    ("address", "field"),
    [
        ({"province": "Hải Dương", "commune": "Phường Trần Hưng Đạo"}, "province"),  # merged into Hải Phòng in 2025
        ({"province": "Hà Nội", "commune": "Phường Trần Hưng Đạo"}, "commune"),  # a ward of Hải Phòng, not Hà Nội
        ({"province": "Hà Nội", "commune": ""}, "commune"),
    ],
)
def test_an_unknown_province_or_a_commune_of_another_province_is_named(address, field):
    _canonical, errors = addresses.canonical_address(address)
    assert list(errors) == [field]


def test_the_picklists_cover_the_country():
    assert len(addresses.provinces()) == 34
    hai_phong = addresses.find_province("Hải Phòng")
    communes = addresses.communes_of(hai_phong.code)
    assert "Phường Trần Hưng Đạo" in [c.name for c in communes]
    assert all(c.province_code == hai_phong.code for c in communes)


@pytest.mark.django_db
def test_the_postal_zone_compares_province_codes_when_the_address_has_one():
    city = factories.AgencyFactory(name="UBND thành phố Hải Phòng", gov_level=GovLevel.PROVINCE)
    ward = factories.AgencyFactory(parent=city)
    # The canonical name differs from the agency's way of writing it; the codes agree.
    assert postal_zone(agency=ward, province="Thành phố Hải Phòng", province_code=31) == PostalZone.SAME_PROVINCE
    assert postal_zone(agency=ward, province="Thành phố Hà Nội", province_code=1) == PostalZone.OTHER_PROVINCE
