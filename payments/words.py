"""Amounts in Vietnamese words, as receipts print them: 135000 → "một trăm ba mươi lăm nghìn đồng".

The reading rules: "mười" for the teens and "mươi" from twenty; after "mươi" a 1 reads "mốt",
a 4 "tư" and a 5 "lăm" (also "mười lăm"); a zero tens digit before a unit reads "linh";
inside a larger number a group under one hundred still says "không trăm"; empty groups are skipped.
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUP_NAMES = ("", "nghìn", "triệu")
BILLION = 10**9


def _tens_and_units(tens: int, units: int, *, after_hundreds: bool) -> list[str]:
    words = []
    if tens == 0:
        if units:
            if after_hundreds:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _group(value: int, *, full: bool) -> list[str]:
    """Words for 0..999; `full` when a higher group precedes, so the hundreds are always read."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, after_hundreds=bool(words))
    return words


def _below_billion(value: int, *, full: bool) -> list[str]:
    groups = [value // 10**6 % 1000, value // 1000 % 1000, value % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _group(group, full=full or bool(words))
        name = GROUP_NAMES[len(groups) - 1 - index]
        if name:
            words.append(name)
    return words


def number_in_words(value: int) -> str:
    """A non-negative integer in Vietnamese words, lower case."""
    if value < 0:
        raise ValueError("negative amounts have no receipt")
    if value == 0:
        return DIGITS[0]
    billions, rest = divmod(value, BILLION)
    words = []
    if billions:
        words += [number_in_words(billions), "tỷ"]
    if rest:
        words += _below_billion(rest, full=bool(billions))
    return " ".join(words)


def vnd_in_words(amount: int) -> str:
    """ "một trăm ba mươi lăm nghìn đồng"; receipts capitalise the first letter."""
    return f"{number_in_words(amount)} đồng"
