"""Payment API: each view parses, calls one service or selector, and serializes."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from payments import selectors, services
from payments.api.serializers import CallbackOutput, PaymentOutput
from payments.models import Payment
from payments.receipts import receipt_pdf, verification_url
from portal.api.schema import error_response
from portal.errors import ConflictError

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Gửi lại cùng khóa sẽ nhận lại đúng giao dịch đã tạo.",
)


@extend_schema_view(
    get=extend_schema(
        responses={
            200: PaymentOutput(many=True),
            404: error_response(404, "Không có hồ sơ này, hoặc không phải hồ sơ của người gọi"),
        }
    )
)
class DossierPaymentsApi(ListAPIView):
    """The dossier's payments; POST opens (or returns the already open) payment at the gateway."""

    permission_classes = [IsAuthenticated]
    serializer_class = PaymentOutput
    queryset = Payment.objects.none()  # for the schema; requests use the selector

    def get_queryset(self):
        return selectors.payments_of_dossier(dossier_id=self.kwargs["dossier_id"], user=self.request.user)

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: PaymentOutput,
            404: error_response(404, "Không có hồ sơ này, hoặc không phải hồ sơ của người gọi"),
            409: error_response(409, "Hồ sơ không chờ thanh toán, hoặc không còn khoản nào phải trả"),
        },
    )
    def post(self, request, dossier_id):
        key = request.headers.get("Idempotency-Key", "").strip()[:128]
        payment = services.payment_start(dossier_id=dossier_id, user=request.user, idempotency_key=key)
        # Pressing pay again answers with the same payment, the way an idempotent replay does.
        return Response(PaymentOutput(payment, context={"request": request}).data, status=status.HTTP_201_CREATED)


class PaymentDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PaymentOutput, 404: error_response(404, "Không có giao dịch này của người gọi")})
    def get(self, request, payment_id):
        payment = selectors.payment_for_user(public_id=payment_id, user=request.user)
        return Response(PaymentOutput(payment, context={"request": request}).data)


class PaymentReceiptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: error_response(404, "Không có giao dịch này của người gọi"),
            409: error_response(409, "Giao dịch chưa thanh toán nên chưa có biên lai"),
        }
    )
    def get(self, request, payment_id):
        payment = selectors.payment_for_user(public_id=payment_id, user=request.user)
        if not payment.receipt_number:
            raise ConflictError(_("Giao dịch chưa thanh toán nên chưa có biên lai."), code="no_receipt")
        pdf = receipt_pdf(payment, verify_url=verification_url(payment, request=request))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
        return response


class PaymentCallbackApi(APIView):
    """The gateway's signed server-to-server notice. No session or token: the signature is the credential."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "X-Signature",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description='t=<unix>,v1=<hex HMAC-SHA256 của "<t>.<raw body>">',
            )
        ],
        responses={200: CallbackOutput, 400: error_response(400, "Chữ ký sai, quá hạn hoặc nội dung sai")},
    )
    def post(self, request):
        # request.body is the raw bytes as sent: the signature covers exactly these.
        result = services.payment_callback_receive(
            raw_body=request.body, signature=request.headers.get("X-Signature", "")
        )
        return Response({"result": result})
