import pytest

from payments.words import number_in_words, vnd_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1_005, "một nghìn không trăm linh năm"),
        (1_050, "một nghìn không trăm năm mươi"),
        (21_000, "hai mươi mốt nghìn"),
        (135_000, "một trăm ba mươi lăm nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (2_000_500, "hai triệu năm trăm"),
        (1_234_567, "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
        (1_000_000_000, "một tỷ"),
        (2_500_000_001, "hai tỷ năm trăm triệu không trăm linh một"),
    ],
)
def test_numbers_read_as_vietnamese_receipts_print_them(amount, words):
    assert number_in_words(amount) == words


def test_amount_in_words_ends_in_dong():
    assert vnd_in_words(135_000) == "một trăm ba mươi lăm nghìn đồng"


def test_negative_amount_is_refused():
    with pytest.raises(ValueError):
        number_in_words(-1)
