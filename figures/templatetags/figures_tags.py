"""How the dashboard writes a figure: counts grouped by dots, shares as percentages, "—" for nothing."""

from django import template
from django.utils.translation import get_language

from portal.formatting import NO_VALUE, vnd

register = template.Library()


def _decimal(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    # Vietnamese writes the decimal comma (4,82%), English the point.
    return text.replace(".", ",") if (get_language() or "vi").startswith("vi") else text


@register.filter
def figure(value, kind: str = "int") -> str:
    if value is None or value == "":
        return NO_VALUE
    if kind == "text":
        return str(value)
    if kind == "ratio":
        return f"{_decimal(float(value) * 100, 2)}%"
    if kind == "number":
        return _decimal(float(value), 2)
    return vnd(value)


@register.filter
def percent_of(value, whole) -> int:
    """A share as a whole percentage for a progress bar (0..100)."""
    if value is None or not whole:
        return 0
    return max(0, min(100, round(float(value) / float(whole) * 100)))


@register.simple_tag
def table_cell(row: dict, column) -> str:
    """A row's value in a column, written as the column (or, for a mixed column, the row) says."""
    return figure(row.get(column.key), column.kind_in(row))
