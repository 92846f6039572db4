"""Pagination whose cost does not grow with the table: counts stop at a cap, pages are projected lean.

An agency's "all" list at a province's scale holds hundreds of thousands of rows; an exact COUNT(*)
reads every one of them on each request. Counting stops at `COUNT_CAP` instead (one index range of at
most that many entries): below it `count` is exact, above it `count` is the cap and `count_capped` is
true; pages past the cap are not served (filters narrow a long list; nobody pages through 5,000 rows).
"""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound

COUNT_CAP = 5000


class CappedPaginator(Paginator):
    """Django's paginator with a count that stops at `cap`, and an optional projection of each page.

    `project` turns the page's slice of the (unprojected, join-free) queryset into what is shown:
    `.values(...)` of the shown columns, or `.select_related(...).only(...)`; counting runs on the bare
    filtered queryset, so joins and wide columns are read for the page's rows only.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = COUNT_CAP, project=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap, self.project, self.capped = cap, project, False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        if self.cap is None:
            return self.object_list.count()
        total = self.object_list.values("pk")[: self.cap + 1].count()
        self.capped = total > self.cap
        return min(total, self.cap)

    def page(self, number):
        page = super().page(number)
        if self.project is not None:
            page.object_list = self.project(page.object_list)
        return page


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}` with an exact count; a view may set `project_page` (see
    CappedPaginator) so that only the page's rows are read with their joins and shown columns."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    count_cap: int | None = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = CappedPaginator(
            queryset, page_size, cap=self.count_cap, project=getattr(view, "project_page", None)
        )
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(exc))) from exc
        return list(self.page)


class CappedPageNumberPagination(PageNumberPagination):
    """For lists that grow with the years (an agency's queue): `{count, count_capped, next, previous,
    results}`, the count stopping at COUNT_CAP."""

    count_cap = COUNT_CAP

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"count": response.data["count"], "count_capped": self.page.paginator.capped, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"] = {
            "count": described["properties"]["count"],
            "count_capped": {
                "type": "boolean",
                "description": f"true when more rows match than `count` says (counting stops at {COUNT_CAP})",
            },
            **{key: value for key, value in described["properties"].items() if key != "count"},
        }
        described["required"] = [*described.get("required", []), "count_capped"]
        return described
