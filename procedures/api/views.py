"""Public catalog API: list and detail of procedures, agencies and fields."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from portal.api.schema import error_response
from procedures import selectors
from procedures.api import serializers
from procedures.filters import AgencyFilterSet, ProcedureFilterSet


class ProcedureListApi(generics.ListAPIView):
    """Tra cứu thủ tục hành chính: tìm không dấu, lọc theo mức độ, cơ quan, lĩnh vực, cấp thực hiện."""

    permission_classes = [AllowAny]
    serializer_class = serializers.ProcedureListSerializer
    filterset_class = ProcedureFilterSet

    def get_queryset(self):
        return selectors.procedure_catalog_listed()


class ProcedureDetailApi(generics.RetrieveAPIView):
    """Chi tiết một thủ tục theo mã (mã có dấu chấm, ví dụ 1.001193)."""

    permission_classes = [AllowAny]
    serializer_class = serializers.ProcedureDetailSerializer
    lookup_field = "code"

    @extend_schema(
        responses={200: serializers.ProcedureDetailSerializer, 404: error_response(404, "Không có thủ tục với mã này")}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return selectors.procedure_get(code=self.kwargs["code"])


class AgencyListApi(generics.ListAPIView):
    """Cơ quan có bộ phận một cửa, lọc theo cấp (province, district, commune)."""

    permission_classes = [AllowAny]
    serializer_class = serializers.AgencySerializer
    filterset_class = AgencyFilterSet

    def get_queryset(self):
        return selectors.agency_list()


class FieldListApi(generics.ListAPIView):
    """Lĩnh vực thủ tục hành chính."""

    permission_classes = [AllowAny]
    serializer_class = serializers.FieldSerializer
    filterset_class = None

    def get_queryset(self):
        return selectors.field_list()
