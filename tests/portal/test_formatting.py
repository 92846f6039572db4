from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from portal.formatting import dong, local_datetime, vnd


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0"), (500, "500"), (135_000, "135.000"), (1_234_567, "1.234.567"), (Decimal("50000"), "50.000")],
)
def test_vnd_groups_whole_dong_by_dots(amount, text):
    assert vnd(amount) == text


def test_dong_names_the_unit():
    assert dong(135_000) == "135.000 đồng"


def test_the_catalog_filter_is_the_same_helper():
    rendered = Template("{% load catalog_tags %}{{ fee|vnd }}").render(Context({"fee": 2_500_000}))
    assert rendered == "2.500.000"


def test_local_datetime_shows_the_portal_time_zone():
    stored = datetime(2026, 11, 23, 18, 5, tzinfo=UTC)  # 01:05 on the 24th in Hà Nội
    assert local_datetime(stored) == "01:05, 24/11/2026"
    assert local_datetime(stored, "d/m/Y H:i") == "24/11/2026 01:05"
    assert local_datetime(stored, "Y-m-d H:i:s") == "2026-11-24 01:05:00"


def test_local_datetime_of_nothing_is_a_dash_or_what_the_caller_asks():
    assert local_datetime(None) == "—"
    assert local_datetime(None, empty="") == ""
