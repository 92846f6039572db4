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


class PostalAddressSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=100, required=False, allow_blank=True)
    district = serializers.CharField(max_length=100, required=False, allow_blank=True)
    commune = serializers.CharField(max_length=100, required=False, allow_blank=True)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)


class MeSerializer(AccountSerializer):
    national_id = serializers.CharField(allow_null=True)
    tax_code = serializers.CharField(allow_null=True)
    email = serializers.CharField()
    identity_verified = serializers.BooleanField(
        source="is_identity_verified", help_text=_("Đã đăng nhập bằng định danh điện tử VNeID")
    )
    identity_level = serializers.IntegerField(help_text=_("Mức định danh điện tử (0: chưa, 1 hoặc 2)"))
    postal_address = PostalAddressSerializer(help_text=_("Địa chỉ điền sẵn khi nhận kết quả qua bưu chính"))
    has_password = serializers.BooleanField(source="has_usable_password")
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


class RegisterClaimSerializer(serializers.Serializer):
    detail = serializers.CharField()
    claim = serializers.BooleanField(help_text=_("true: tài khoản do bộ phận một cửa tạo; đặt mật khẩu bằng mã OTP"))
    phone = serializers.CharField(help_text=_("Số điện thoại nhận mã, đã che bớt"))


class UsernameInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=32, help_text=_("Số điện thoại hoặc số CCCD"))


class PasswordResetConfirmInputSerializer(UsernameInputSerializer):
    otp = serializers.CharField(max_length=12, help_text=_("Mã 6 chữ số nhận qua SMS"))
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})


class OtpSentSerializer(serializers.Serializer):
    detail = serializers.CharField()
    phone = serializers.CharField(help_text=_("Số điện thoại nhận mã, đã che bớt"))


class PasswordChangeInputSerializer(serializers.Serializer):
    old_password = serializers.CharField(
        max_length=128, required=False, allow_blank=True, help_text=_("Bỏ trống nếu tài khoản chưa có mật khẩu")
    )
    new_password = serializers.CharField(max_length=128)


class ProfileInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    postal_address = PostalAddressSerializer(required=False)


class PhoneChangeConfirmInputSerializer(PhoneInputSerializer):
    otp = serializers.CharField(max_length=12, help_text=_("Mã 6 chữ số gửi đến số mới"))
