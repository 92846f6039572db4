"""Query-string filters shared by the catalog page and the API: parse and validate, then call the selector."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from procedures import selectors
from procedures.constants import GovLevel, OnlineLevel
from procedures.models import Agency, Field


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among rows named by their `code` (the API documents it as a plain string)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="code", **kwargs)


class ProcedureFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("Tìm kiếm"),
        max_length=200,
        help_text=_("Tên hoặc mã thủ tục; không phân biệt hoa thường, có dấu hay không dấu."),
    )
    gov_level = django_filters.ChoiceFilter(label=_("Cấp thực hiện"), choices=GovLevel.choices)
    agency = CodeChoiceFilter(
        label=_("Cơ quan thực hiện"),
        queryset=Agency.objects.filter(is_active=True).order_by("code"),
        help_text=_("Mã định danh cơ quan, ví dụ 000.00.15.H26."),
    )
    field = CodeChoiceFilter(
        label=_("Lĩnh vực"),
        queryset=Field.objects.order_by("name"),
        help_text=_("Mã lĩnh vực."),
    )
    # TypedChoiceFilter adds no blank choice of its own: without one the page shows "Mức độ 2" as chosen.
    online_level = django_filters.TypedChoiceFilter(
        label=_("Mức độ trực tuyến"),
        choices=[("", "---------"), *OnlineLevel.choices],
        coerce=int,
        empty_value=None,
    )

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.procedure_filter(
            queryset,
            search=data.get("search") or "",
            online_level=data.get("online_level") or None,
            agency=data["agency"].code if data.get("agency") else "",
            field=data["field"].code if data.get("field") else "",
            gov_level=data.get("gov_level") or "",
        )


class AgencyFilterSet(django_filters.FilterSet):
    gov_level = django_filters.ChoiceFilter(label=_("Cấp"), choices=GovLevel.choices)
