from rest_framework import serializers

from postal.constants import ShipmentDirection, ShipmentStatus
from postal.models import Shipment, ShipmentEvent


class ShipmentEventOutput(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ShipmentStatus.choices)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = ShipmentEvent
        fields = ["status", "status_label", "occurred_at", "location"]


class ShipmentOutput(serializers.ModelSerializer):
    direction = serializers.ChoiceField(choices=ShipmentDirection.choices)
    status = serializers.ChoiceField(choices=ShipmentStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    fee = serializers.IntegerField(help_text="Cước bưu chính (VND)")
    cod_amount = serializers.IntegerField(help_text="Số tiền bưu tá thu khi phát (VND); 0 khi đã trả trực tuyến")
    events = ShipmentEventOutput(many=True)

    class Meta:
        model = Shipment
        fields = ["tracking_number", "direction", "status", "status_label", "fee", "cod_amount", "events"]


class WebhookInput(serializers.Serializer):
    """For the schema only: the view verifies the raw bytes and parses them itself."""

    tracking_number = serializers.CharField(max_length=32)
    status = serializers.ChoiceField(choices=[s for s in ShipmentStatus.choices if s[0] != ShipmentStatus.CREATED])
    occurred_at = serializers.DateTimeField(help_text="ISO 8601, có múi giờ")
    location = serializers.CharField(max_length=255, required=False)


class WebhookOutput(serializers.Serializer):
    result = serializers.ChoiceField(choices=["applied", "duplicate", "ignored"])


class PickupAddressInput(serializers.Serializer):
    province = serializers.CharField(max_length=100)
    district = serializers.CharField(max_length=100, required=False, allow_blank=True)
    commune = serializers.CharField(max_length=100)
    street = serializers.CharField(max_length=200)
    recipient = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=10)


class PickupInput(serializers.Serializer):
    procedure = serializers.CharField(max_length=50, help_text="Mã thủ tục")
    agency = serializers.CharField(max_length=50, help_text="Mã cơ quan nhận hồ sơ")
    address = PickupAddressInput(help_text="Nơi bưu tá đến thu gom hồ sơ giấy")


class PickupOutput(ShipmentOutput):
    class Meta(ShipmentOutput.Meta):
        fields = [*ShipmentOutput.Meta.fields, "address"]


class ArrivalInput(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=32)
    form_data = serializers.JSONField(required=False, default=dict, help_text="Tờ khai giấy, nhập theo mẫu điện tử")


class ArrivalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.CharField()
