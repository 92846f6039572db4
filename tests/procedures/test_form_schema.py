import copy

import pytest

from procedures.form_schema import TEXT_MAX_LENGTH, check_schema, form_answers, validate_form_data

SCHEMA = {
    "type": "object",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên", "minLength": 2, "maxLength": 10},
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "so_dinh_danh": {"type": "string", "title": "Số định danh", "pattern": r"^\d{12}$"},
        "so_ban": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 5},
        "dien_tich": {"type": "number", "title": "Diện tích"},
        "diem_chi": {"type": "boolean", "title": "Điểm chỉ"},
    },
    "required": ["ho_ten", "ngay_sinh"],
}

VALID = {
    "ho_ten": "Nguyễn An",
    "ngay_sinh": "2026-02-16",
    "gioi_tinh": "Nữ",
    "so_dinh_danh": "030190000001",
    "so_ban": 2,
    "dien_tich": 80.5,
    "diem_chi": False,
}


def test_the_sample_schema_is_in_the_subset():
    check_schema(SCHEMA)


def test_valid_data_has_no_errors():
    assert validate_form_data(SCHEMA, VALID) == {}
    assert validate_form_data(SCHEMA, {"ho_ten": "An Bình", "ngay_sinh": "2000-01-31"}) == {}


def broken(**changes):
    schema = copy.deepcopy(SCHEMA)
    for path, value in changes.items():
        target = schema
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return schema


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ([], "type"),
        (broken(type="array"), "'object' was expected"),
        (broken(properties__ho_ten__title=None), "'title' is a required property"),
        (broken(properties__ho_ten__items={"type": "string"}), "Additional properties"),
        (broken(properties__ho_ten__type="array"), "properties/ho_ten/type"),
        (broken(properties__ngay_sinh__format="email"), "properties/ngay_sinh/format"),
        (broken(required=["ho_ten", "khong_co"]), "khong_co"),
        (broken(properties__so_dinh_danh__pattern="^(\\d"), "pattern"),
        (broken(properties__gioi_tinh__enum=["Nam", 1]), "enum"),
        (broken(properties__so_ban__minLength=1), "minLength"),
        (broken(properties__ho_ten__minimum=1), "minimum"),
        (broken(properties__so_ban__minimum=9), "minimum"),
        (broken(properties__HoTen={"type": "string", "title": "X"}), "HoTen"),
    ],
)
def test_check_schema_rejects_what_is_outside_the_subset(schema, fragment):
    with pytest.raises(ValueError) as info:
        check_schema(schema)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"ngay_sinh": "2026-02-16"}, "ho_ten", "Trường 'Họ tên' là bắt buộc"),
        ({"ho_ten": "   ", "ngay_sinh": "2026-02-16"}, "ho_ten", "Trường 'Họ tên' là bắt buộc"),
        ({"ho_ten": "An", "ngay_sinh": "2026-02-30"}, "ngay_sinh", "Ngày không hợp lệ (YYYY-MM-DD)"),
        ({"ho_ten": "An", "ngay_sinh": "16/02/2026"}, "ngay_sinh", "Ngày không hợp lệ (YYYY-MM-DD)"),
        ({"ho_ten": "An", "ngay_sinh": "20260216"}, "ngay_sinh", "Ngày không hợp lệ (YYYY-MM-DD)"),
        ({**VALID, "gioi_tinh": "Khác"}, "gioi_tinh", "Trường 'Giới tính' phải là một trong: Nam, Nữ"),
        ({**VALID, "so_dinh_danh": "12345"}, "so_dinh_danh", "Trường 'Số định danh' không đúng định dạng"),
        ({**VALID, "so_ban": "hai"}, "so_ban", "Trường 'Số bản' phải là số nguyên"),
        ({**VALID, "so_ban": True}, "so_ban", "Trường 'Số bản' phải là số nguyên"),
        ({**VALID, "so_ban": 2.5}, "so_ban", "Trường 'Số bản' phải là số nguyên"),
        ({**VALID, "so_ban": 0}, "so_ban", "Trường 'Số bản' phải lớn hơn hoặc bằng 1"),
        ({**VALID, "so_ban": 6}, "so_ban", "Trường 'Số bản' phải nhỏ hơn hoặc bằng 5"),
        ({**VALID, "ho_ten": "A"}, "ho_ten", "Trường 'Họ tên' phải có ít nhất 2 ký tự"),
        ({**VALID, "ho_ten": "Nguyễn Văn An"}, "ho_ten", "Trường 'Họ tên' chỉ được tối đa 10 ký tự"),
        ({**VALID, "diem_chi": "có"}, "diem_chi", "Trường 'Điểm chỉ' phải là đúng/sai"),
        ({**VALID, "ghi_chu": "x"}, "ghi_chu", "Trường 'ghi_chu' không có trong biểu mẫu"),
    ],
)
def test_validate_form_data_names_the_field_in_vietnamese(data, field, message):
    errors = validate_form_data(SCHEMA, data)
    assert errors[field] == message
    assert set(errors) == {field}


def test_every_problem_is_reported_once_per_field():
    errors = validate_form_data(SCHEMA, {"ngay_sinh": "x", "so_ban": 99})
    assert set(errors) == {"ho_ten", "ngay_sinh", "so_ban"}


def test_form_data_must_be_an_object():
    assert validate_form_data(SCHEMA, ["An"]) == {"form_data": "Dữ liệu biểu mẫu phải là một đối tượng JSON"}


def test_form_answers_follow_the_schema_order_and_show_unanswered_fields_as_none():
    schema = {
        "type": "object",
        "properties": {
            "ho_ten": {"type": "string", "title": "Họ và tên"},
            "so_ban": {"type": "integer", "title": "Số bản"},
        },
    }
    answers = form_answers(schema, {"so_ban": 2, "truong_cu": "x"})
    assert answers == [("Họ và tên", None), ("Số bản", 2)]


def test_form_answers_with_unlisted_keep_answers_to_fields_the_form_no_longer_has():
    schema = {"type": "object", "properties": {"so_ban": {"type": "integer", "title": "Số bản"}}}
    answers = form_answers(schema, {"so_ban": 2, "truong_cu": "x"}, with_unlisted=True)
    assert answers == [("Số bản", 2), ("truong_cu", "x")]


def test_a_text_field_takes_at_most_the_portal_limit_whatever_its_schema_says():
    schema = {"type": "object", "properties": {"ghi_chu": {"type": "string", "title": "Ghi chú"}}}

    assert validate_form_data(schema, {"ghi_chu": "x" * TEXT_MAX_LENGTH}) == {}
    assert validate_form_data(schema, {"ghi_chu": "x" * (TEXT_MAX_LENGTH + 1)}) == {
        "ghi_chu": f"Trường 'Ghi chú' chỉ được tối đa {TEXT_MAX_LENGTH} ký tự"
    }
    with pytest.raises(ValueError, match="maxLength"):
        check_schema(broken(properties__ho_ten__maxLength=TEXT_MAX_LENGTH + 1))
