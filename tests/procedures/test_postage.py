"""Postage is a fee policy: its rate depends on the zone between the agency's province and the address."""

import pytest

from procedures.constants import GovLevel, PostalZone
from procedures.fees import POSTAGE_BY_ZONE, fee_breakdown, postage_for, postal_zone
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(db):
    province = factories.AgencyFactory(code="000.00.00.H26", name="UBND tỉnh Hải Dương", gov_level=GovLevel.PROVINCE)
    return factories.AgencyFactory(parent=province)


@pytest.mark.parametrize("written", ["Hải Dương", "tỉnh hải dương", "Tinh Hai Duong", " HẢI  DƯƠNG "])
def test_an_address_in_the_agencys_province_is_the_same_zone(commune, written):
    assert postal_zone(agency=commune, province=written) == PostalZone.SAME_PROVINCE


@pytest.mark.parametrize("written", ["Hà Nội", "Dương", "", "Hải"])
def test_any_other_province_or_none_is_the_other_zone(commune, written):
    assert postal_zone(agency=commune, province=written) == PostalZone.OTHER_PROVINCE


def test_postage_only_for_a_result_sent_by_post(commune):
    assert (
        postage_for(agency=commune, delivery_method="postal", province="Hải Dương") == POSTAGE_BY_ZONE["same_province"]
    )
    assert postage_for(agency=commune, delivery_method="postal", province="Hà Nội") == POSTAGE_BY_ZONE["other_province"]
    assert postage_for(agency=commune, delivery_method="counter", province="Hà Nội") == 0
    assert POSTAGE_BY_ZONE["other_province"] > POSTAGE_BY_ZONE["same_province"] > 0


def test_postage_is_a_line_of_the_breakdown_and_never_discounted(commune):
    procedure = factories.ProcedureFactory(agencies=[commune], fee=100_000, charge=0, online_discount_percent=50)
    plain = fee_breakdown(procedure=procedure, channel="online")
    posted = fee_breakdown(procedure=procedure, channel="online", postage=25_000)
    assert (plain.total, posted.total) == (50_000, 75_000)
    assert posted.as_dict()["postage"] == 25_000 and "postage" not in plain.as_dict()
