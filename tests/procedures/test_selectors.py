import pytest

from procedures import selectors
from procedures.constants import GovLevel, OnlineLevel
from tests.factories import AgencyFactory, FieldFactory, ProcedureFactory


def names(queryset) -> list[str]:
    return [procedure.name for procedure in queryset]


@pytest.fixture
def catalog(db):
    ho_tich = FieldFactory(code="ho-tich", name="Hộ tịch")
    lai_xe = FieldFactory(code="lai-xe", name="Giấy phép lái xe")
    commune = AgencyFactory(code="000.01.15.H26", name="UBND phường Trần Phú", gov_level=GovLevel.COMMUNE)
    police = AgencyFactory(code="000.00.09.H26", name="Công an tỉnh", gov_level=GovLevel.PROVINCE)
    rows = [
        ("1.000001", "Thủ tục đăng ký khai sinh", ho_tich, commune, OnlineLevel.LEVEL_4),
        ("1.000002", "Liên thông đăng ký khai sinh, đăng ký thường trú", ho_tich, commune, OnlineLevel.LEVEL_4),
        ("1.000003", "Thủ tục đăng ký lại khai sinh", ho_tich, commune, OnlineLevel.LEVEL_3),
        (
            "1.000004",
            "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới",
            ho_tich,
            commune,
            OnlineLevel.LEVEL_3,
        ),
        ("1.000005", "Đăng ký kết hôn", ho_tich, commune, OnlineLevel.LEVEL_3),
        ("3.000347", "Cấp đổi giấy phép lái xe", lai_xe, police, OnlineLevel.LEVEL_4),
        ("3.000348", "CẤP LẠI GIẤY PHÉP LÁI XE", lai_xe, police, OnlineLevel.LEVEL_2),
    ]
    for code, name, field, agency, level in rows:
        ProcedureFactory(
            code=code, name=name, field=field, agencies=[agency], online_level=level, gov_level=agency.gov_level
        )
    ProcedureFactory(code="9.999999", name="Đăng ký khai sinh (đã bãi bỏ)", is_active=False)


@pytest.mark.parametrize(
    "query",
    ["giay phep lai xe", "GIẤY PHÉP LÁI XE", "Giấy Phép Lái Xe", "giấy phep lai XE", "  giay   phep  lai xe "],
)
def test_search_ignores_case_diacritics_and_spacing(catalog, query):
    assert set(names(selectors.procedure_list(search=query))) == {
        "Cấp đổi giấy phép lái xe",
        "CẤP LẠI GIẤY PHÉP LÁI XE",
    }


def test_d_with_stroke_folds_to_d(catalog):
    assert "Cấp đổi giấy phép lái xe" in names(selectors.procedure_list(search="doi"))
    assert "Cấp đổi giấy phép lái xe" in names(selectors.procedure_list(search="ĐỔI"))
    assert names(selectors.procedure_list(search="dổi")) == ["Cấp đổi giấy phép lái xe"]


def test_every_word_must_match(catalog):
    assert names(selectors.procedure_list(search="khai sinh lai xe")) == []
    assert names(selectors.procedure_list(search="ket hon")) == ["Đăng ký kết hôn"]


def test_search_finds_by_code(catalog):
    assert names(selectors.procedure_list(search="3.000347")) == ["Cấp đổi giấy phép lái xe"]


def test_ranking_phrase_at_start_then_phrase_then_words(catalog):
    assert names(selectors.procedure_list(search="dang ky khai sinh")) == [
        "Thủ tục đăng ký khai sinh",  # phrase at the start (after "Thủ tục"), shortest
        "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới",  # phrase at the start, longer
        "Liên thông đăng ký khai sinh, đăng ký thường trú",  # phrase inside
        "Thủ tục đăng ký lại khai sinh",  # words only
    ]


def test_inactive_procedures_are_hidden(catalog):
    assert "Đăng ký khai sinh (đã bãi bỏ)" not in names(selectors.procedure_list(search="khai sinh"))


def test_filters(catalog):
    assert len(selectors.procedure_list(online_level=4)) == 3
    assert set(names(selectors.procedure_list(agency="000.00.09.H26"))) == {
        "Cấp đổi giấy phép lái xe",
        "CẤP LẠI GIẤY PHÉP LÁI XE",
    }
    assert len(selectors.procedure_list(field="ho-tich")) == 5
    assert len(selectors.procedure_list(gov_level=GovLevel.PROVINCE)) == 2
    assert names(selectors.procedure_list(search="khai sinh", online_level=3, field="ho-tich")) == [
        "Thủ tục đăng ký lại khai sinh",
        "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới",
    ]


def test_procedure_get_unknown_code_raises_not_found(db):
    from portal.errors import NotFoundError

    with pytest.raises(NotFoundError):
        selectors.procedure_get(code="0.000000")
