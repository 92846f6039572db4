"""Postal API: a dossier's shipments, and the courier's signed webhook."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.schema import error_response
from postal import selectors, services
from postal.api.serializers import (
    ArrivalInput,
    ArrivalOutput,
    PickupInput,
    PickupOutput,
    ShipmentOutput,
    WebhookInput,
    WebhookOutput,
)
from postal.models import Shipment


@extend_schema(
    responses={
        200: ShipmentOutput(many=True),
        404: error_response(404, "Không có hồ sơ này, hoặc hồ sơ không phải của bạn hay của cơ quan bạn"),
    }
)
class DossierShipmentsApi(ListAPIView):
    """The dossier's shipments by post, each with its steps (the applicant or officials of the agency)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ShipmentOutput
    queryset = Shipment.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.shipments_of_dossier(dossier_id=self.kwargs["dossier_id"], user=self.request.user)


class PostalWebhookApi(APIView):
    """The courier's signed status notice. No session or token: the signature is the credential."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=WebhookInput,
        parameters=[
            OpenApiParameter(
                "X-Signature",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description='t=<unix>,v1=<hex HMAC-SHA256 của "<t>.<raw body>"> với khóa POSTAL_WEBHOOK_SECRET',
            )
        ],
        responses={
            200: WebhookOutput,
            400: error_response(
                400, "Chữ ký sai hoặc quá hạn, nội dung sai, hoặc số hiệu bưu gửi không có (tracking_number)"
            ),
        },
    )
    def post(self, request):
        # request.body is the raw bytes as sent: the signature covers exactly these.
        result = services.shipment_notice_receive(
            raw_body=request.body, signature=request.headers.get("X-Signature", "")
        )
        return Response({"result": result})


class PickupCreateApi(APIView):
    """Ask the post to collect a paper dossier from home and carry it to the agency (Decision 45/2016).
    The postman collects the postage when he calls."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PickupInput,
        responses={
            201: PickupOutput,
            400: error_response(400, "Thủ tục, cơ quan hoặc địa chỉ không hợp lệ (nêu tên trường)"),
            503: error_response(503, "Bưu chính tạm thời không nhận bưu gửi"),
        },
    )
    def post(self, request):
        data = PickupInput(data=request.data)
        data.is_valid(raise_exception=True)
        shipment = services.pickup_request(
            applicant=request.user,
            procedure_code=data.validated_data["procedure"],
            agency_code=data.validated_data["agency"],
            address=data.validated_data["address"],
        )
        return Response(PickupOutput(shipment).data, status=201)


class PickupArrivalApi(APIView):
    """The counter registers the paper dossier a delivered pickup brought (receivers of the agency)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ArrivalInput,
        responses={
            201: ArrivalOutput,
            400: error_response(400, "Tờ khai thiếu hoặc sai (nêu tên trường)"),
            403: error_response(403, "Chỉ cán bộ tiếp nhận của cơ quan"),
            404: error_response(404, "Không có yêu cầu thu gom với số hiệu này"),
            409: error_response(409, "Bưu gửi chưa đến cơ quan, hoặc hồ sơ đã được tiếp nhận"),
        },
    )
    def post(self, request):
        data = ArrivalInput(data=request.data)
        data.is_valid(raise_exception=True)
        dossier = services.pickup_register_arrival(
            official=request.user,
            tracking_number=data.validated_data["tracking_number"],
            form_data=data.validated_data["form_data"],
        )
        return Response({"id": dossier.pk, "code": dossier.code, "status": dossier.status}, status=201)
