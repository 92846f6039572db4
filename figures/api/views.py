"""Figures API: KPIs, the Decision 766 index and its league table (officials of the scope, leaders, admins)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from figures import reports
from figures.api.serializers import KpiOutput, RankingOutput, ServiceIndexOutput
from figures.scope import figures_query_parse
from portal.api.schema import error_response
from procedures.constants import GovLevel


def _parameter(name: str, description: str, kind=OpenApiTypes.STR, **extra) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description, **extra)


PERIOD = [
    _parameter("from", "Ngày đầu kỳ, YYYY-MM-DD (mặc định: 1/1 năm nay)", OpenApiTypes.DATE),
    _parameter("to", "Ngày cuối kỳ, YYYY-MM-DD (mặc định: hôm nay)", OpenApiTypes.DATE),
]
AGENCY = _parameter("agency", "Mã cơ quan; tính cả các đơn vị trực thuộc (mặc định: các cơ quan của người gọi)")
GOV_LEVEL = _parameter("gov_level", "Chỉ các cơ quan ở cấp này", enum=GovLevel.values)
BAD_QUERY = error_response(
    400, "Ngày sai dạng, from sau to, hoặc mã cơ quan, lĩnh vực, thủ tục, cấp không có (nêu tên)"
)
NOT_ALLOWED = error_response(
    403, "Người gọi không phải cán bộ, lãnh đạo hay quản trị, hoặc hỏi cơ quan ngoài phạm vi của mình"
)


class KpiApi(APIView):
    """KPIs of a scope and period: receipts by channel, completion on time, the catalog, payments, ratings."""

    @extend_schema(
        parameters=[
            *PERIOD,
            AGENCY,
            GOV_LEVEL,
            _parameter("field", "Mã lĩnh vực"),
            _parameter("procedure", "Mã thủ tục"),
        ],
        responses={200: KpiOutput, 400: BAD_QUERY, 403: NOT_ALLOWED},
    )
    def get(self, request):
        query = figures_query_parse(request.query_params)
        return Response(reports.kpi_report(user=request.user, query=query))


class ServiceIndexApi(APIView):
    """The Decision 766/QĐ-TTg service index of a scope and period, out of 100, in its six groups."""

    @extend_schema(parameters=[*PERIOD, AGENCY], responses={200: ServiceIndexOutput, 400: BAD_QUERY, 403: NOT_ALLOWED})
    def get(self, request):
        query = figures_query_parse({key: request.query_params.get(key, "") for key in ("from", "to", "agency")})
        return Response(reports.service_index_report(user=request.user, query=query))


class ServiceIndexRankingApi(APIView):
    """The league table: agencies of one government level (within the caller's scope) by their index."""

    @extend_schema(
        parameters=[
            *PERIOD,
            _parameter("agency", "Chỉ các cơ quan thuộc cơ quan này"),
            OpenApiParameter(
                "gov_level", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, enum=GovLevel.values
            ),
        ],
        responses={200: RankingOutput, 400: BAD_QUERY, 403: NOT_ALLOWED},
    )
    def get(self, request):
        params = {key: request.query_params.get(key, "") for key in ("from", "to", "agency", "gov_level")}
        query = figures_query_parse(params, gov_level_required=True)
        return Response(reports.service_index_ranking_report(user=request.user, query=query))
