"""Input and output shapes of the accounts API; validation of identifiers lives in the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.accounts.constants import AccountKind, Role
from portal.accounts.selectors import user_roles
from portal.accounts.services.registration import SELF_REGISTER_KINDS


class RegisterInputSerializer(serializers.Serializer):
    account_type = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in SELF_REGISTER_KINDS],
        default=AccountKind.CITIZEN.value,
        help_text=_("citizen (mặc định) hoặc organisation"),
    )
    full_name = serializers.CharField(max_length=200, help_text=_("Họ và tên, hoặc tên tổ chức"))
    phone = serializers.CharField(max_length=20, help_text=_("Số di động Việt Nam, 10 chữ số; chấp nhận +84"))
    national_id = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text=_("Số CCCD 12 chữ số (bắt buộc với công dân)")
    )
    tax_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text=_("Mã số thuế (bắt buộc với tổ chức)")
    )
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)


class PhoneInputSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)


class VerifyPhoneInputSerializer(PhoneInputSerializer):
    otp = serializers.CharField(max_length=12, help_text=_("Mã 6 chữ số nhận qua SMS"))


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=32, help_text=_("Số điện thoại hoặc số CCCD"))
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    phone = serializers.CharField()
    kind = serializers.ChoiceField(choices=AccountKind.choices)
    phone_verified = serializers.BooleanField(source="is_phone_verified")


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()
    agency = serializers.CharField(allow_null=True, help_text=_("Mã định danh cơ quan, null với vai trò toàn hệ thống"))
    agency_name = serializers.CharField(allow_null=True)


class MeSerializer(AccountSerializer):
    national_id = serializers.CharField(allow_null=True)
    tax_code = serializers.CharField(allow_null=True)
    email = serializers.CharField()
    roles = serializers.SerializerMethodField()

    @extend_schema_field(RoleSerializer(many=True))
    def get_roles(self, user) -> list[dict]:
        return user_roles(user=user)


class LoginOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)
    user = MeSerializer()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
