"""The Circular 01/2018 forms over the API: a dossier's forms 01–05 and an agency's register (06)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from dossiers import paperwork
from portal.api.schema import error_response

FORM_NUMBERS = [spec.number for spec in paperwork.FORMS]
PDF_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="Biểu mẫu (PDF khổ A5)")
NOT_FOUND = "Không có hồ sơ này, người gọi không được xem hồ sơ, hoặc không được nhận mẫu này (người nộp: mẫu 01–04)"


def download_response(download: paperwork.Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def form_download(request, dossier_id: int, number: str) -> HttpResponse:
    return download_response(
        paperwork.dossier_form_download(dossier_id=dossier_id, number=number, user=request.user, request=request)
    )


class DossierFormApi(APIView):
    """GET /api/v1/dossiers/{dossier_id}/forms/{form}/: form 01–05 of the dossier as PDF."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="dossier_form",
        summary="Biểu mẫu Thông tư 01/2018/TT-VPCP của hồ sơ (PDF)",
        description=(
            "01 giấy tiếp nhận hồ sơ và hẹn trả kết quả (khi đã tiếp nhận), 02 phiếu yêu cầu bổ sung, hoàn thiện "
            "hồ sơ, 03 phiếu từ chối tiếp nhận giải quyết hồ sơ, 04 phiếu xin lỗi và hẹn lại ngày trả kết quả, "
            "05 phiếu kiểm soát quá trình giải quyết hồ sơ (chỉ cán bộ). Mã QR trên mẫu mở trang tra cứu công khai "
            "chỉ với mã hồ sơ; trang hỏi thêm 4 số cuối CCCD hoặc số điện thoại."
        ),
        parameters=[OpenApiParameter("form", str, OpenApiParameter.PATH, enum=FORM_NUMBERS)],
        responses={
            (200, "application/pdf"): PDF_RESPONSE,
            404: error_response(404, NOT_FOUND),
            409: error_response(409, "Hồ sơ chưa đến bước mà mẫu này ghi nhận"),
        },
        tags=["documents"],
    )
    def get(self, request, dossier_id: int, form: str):
        return form_download(request, dossier_id, form)


class RegisterInput(serializers.Serializer):
    agency = serializers.CharField(required=False, default="", allow_blank=True, max_length=64)
    date_from = serializers.DateField(help_text="Từ ngày (theo giờ Việt Nam), gồm cả ngày này")
    date_to = serializers.DateField(help_text="Đến ngày, gồm cả ngày này; tối đa 366 ngày")
    format = serializers.ChoiceField(choices=[paperwork.PDF, paperwork.XLSX], default=paperwork.PDF)

    def to_internal_value(self, data):
        # The query string says from= and to=, which are Python keywords.
        data = {key: value for key, value in data.items() if key not in ("from", "to")} | {
            "date_from": data.get("from"),
            "date_to": data.get("to"),
        }
        return super().to_internal_value(data)


class RegisterApi(APIView):
    """GET /api/v1/registers/?agency=&from=&to=&format=pdf|xlsx: form 06 of one of the caller's agencies."""

    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request, force=False):
        # `format` names the file's format here, not DRF's renderer override (which would 404 on "xlsx"):
        # the answer is a file, and any error is JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="agency_register",
        summary="Sổ theo dõi hồ sơ (mẫu 06) của cơ quan",
        description=(
            "Các hồ sơ cơ quan tiếp nhận trong khoảng ngày đã chọn, PDF khổ A4 hoặc XLSX. Chỉ cán bộ của cơ quan; "
            "bỏ trống `agency` khi người gọi chỉ làm việc ở một cơ quan."
        ),
        parameters=[
            OpenApiParameter("agency", str, description="Mã cơ quan"),
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("format", str, enum=[paperwork.PDF, paperwork.XLSX], default=paperwork.PDF),
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Sổ theo dõi (PDF khổ A4)"),
            (200, paperwork.CONTENT_TYPES[paperwork.XLSX]): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX"),
            400: error_response(400, "Ngày không hợp lệ, khoảng quá một năm, hoặc chưa chọn cơ quan"),
            403: error_response(403, "Người gọi không phải cán bộ của cơ quan nào"),
            404: error_response(404, "Cơ quan không thuộc các cơ quan của người gọi"),
        },
        tags=["documents"],
    )
    def get(self, request):
        data = RegisterInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return download_response(
            paperwork.register_download(
                user=request.user,
                agency_code=values["agency"],
                date_from=values["date_from"],
                date_to=values["date_to"],
                fmt=values["format"],
            )
        )
