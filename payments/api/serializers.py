from rest_framework import serializers

from payments.constants import PaymentStatus
from payments.models import Payment
from payments.receipts import verification_url


class BreakdownOutput(serializers.Serializer):
    fee = serializers.IntegerField()
    charge = serializers.IntegerField()
    subtotal = serializers.IntegerField()
    discount_name = serializers.CharField()
    discount_percent = serializers.IntegerField()
    discount_amount = serializers.IntegerField()
    total = serializers.IntegerField()
    postage = serializers.IntegerField(required=False, help_text="Cước bưu chính trả kết quả, khi trả trực tuyến")


class PaymentOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    dossier = serializers.IntegerField(source="dossier_id")
    dossier_code = serializers.CharField(source="dossier.code")
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    pay_url = serializers.SerializerMethodField()
    receipt_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()
    breakdown = BreakdownOutput()

    class Meta:
        model = Payment
        fields = [
            "id",
            "dossier",
            "dossier_code",
            "amount",
            "status",
            "status_label",
            "method",
            "pay_url",
            "breakdown",
            "receipt_number",
            "receipt_url",
            "verify_url",
            "created_at",
            "expires_at",
            "paid_at",
            "refunded_at",
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_pay_url(self, payment) -> str | None:
        return self._absolute(payment.pay_url) if payment.status == PaymentStatus.PENDING and payment.pay_url else None

    def get_receipt_url(self, payment) -> str | None:
        if not payment.receipt_number:
            return None
        return self._absolute(f"/api/v1/payments/{payment.public_id}/receipt/")

    def get_verify_url(self, payment) -> str | None:
        return self._absolute(verification_url(payment)) if payment.receipt_number else None


class CallbackOutput(serializers.Serializer):
    result = serializers.ChoiceField(choices=["applied", "duplicate", "ignored"])
