"""Accounts REST API: each view parses, calls one service or selector, and serializes."""

from django.contrib.auth import logout, update_session_auth_hash
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts import selectors, services
from portal.accounts.serializers import (
    AccountSerializer,
    DetailSerializer,
    LoginInputSerializer,
    LoginOutputSerializer,
    MeSerializer,
    OtpSentSerializer,
    PasswordChangeInputSerializer,
    PasswordResetConfirmInputSerializer,
    PhoneChangeConfirmInputSerializer,
    PhoneInputSerializer,
    ProfileInputSerializer,
    RegisterClaimSerializer,
    RegisterInputSerializer,
    UsernameInputSerializer,
    VerifyPhoneInputSerializer,
)
from portal.api.schema import error_response
from portal.formatting import masked_phone
from portal.throttling import ClientScopedRateThrottle

OTP_SENT = _("Mã OTP mới đã được gửi đến số điện thoại.")
CLAIM_STARTED = _(
    "Số CCCD này đã có tài khoản do bộ phận một cửa tạo. Mã OTP đã được gửi đến số điện thoại đăng ký tại quầy: "
    "đặt mật khẩu bằng POST /api/v1/auth/password-reset/confirm/."
)
PASSWORD_CHANGED = _("Đã đổi mật khẩu.")


class _PublicApi(APIView):
    """No session authentication, so no CSRF check, on endpoints used before signing in."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]

    def parse(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class RegisterApi(_PublicApi):
    throttle_scope = "register"

    @extend_schema(
        tags=["auth"],
        summary="Đăng ký tài khoản (công dân hoặc tổ chức); mã OTP được gửi đến điện thoại",
        description=(
            "Một số CCCD mà bộ phận một cửa đã mở tài khoản (chưa có mật khẩu) khi nộp hồ sơ giấy: không tạo tài "
            "khoản mới mà gửi mã OTP đến số điện thoại của tài khoản đó (202); đặt mật khẩu bằng "
            "/api/v1/auth/password-reset/confirm/."
        ),
        request=RegisterInputSerializer,
        responses={201: AccountSerializer, 202: RegisterClaimSerializer},
    )
    def post(self, request):
        user, claimed = services.user_register_or_claim(**self.parse(RegisterInputSerializer))
        if claimed:
            payload = {"detail": str(CLAIM_STARTED), "claim": True, "phone": masked_phone(user.phone)}
            return Response(RegisterClaimSerializer(payload).data, status=status.HTTP_202_ACCEPTED)
        return Response(AccountSerializer(user).data, status=status.HTTP_201_CREATED)


class VerifyPhoneApi(_PublicApi):
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Xác thực số điện thoại bằng mã OTP",
        request=VerifyPhoneInputSerializer,
        responses={200: AccountSerializer},
    )
    def post(self, request):
        data = self.parse(VerifyPhoneInputSerializer)
        user = services.otp_verify(phone=data["phone"], code=data["otp"])
        return Response(AccountSerializer(user).data)


class ResendOtpApi(_PublicApi):
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Gửi lại mã OTP (sau thời gian chờ)",
        request=PhoneInputSerializer,
        responses={200: DetailSerializer},
    )
    def post(self, request):
        services.otp_resend(phone=self.parse(PhoneInputSerializer)["phone"])
        return Response({"detail": str(OTP_SENT)})


class LoginApi(_PublicApi):
    throttle_scope = "auth"

    @extend_schema(
        tags=["auth"],
        summary="Đăng nhập bằng số điện thoại hoặc số CCCD; trả về token",
        request=LoginInputSerializer,
        responses={
            200: LoginOutputSerializer,
            403: error_response(403, "Số điện thoại chưa được xác thực"),
            429: error_response(429, "Quá nhiều yêu cầu, hoặc tài khoản tạm khoá sau nhiều lần đăng nhập sai"),
        },
    )
    def post(self, request):
        data = self.parse(LoginInputSerializer)
        user = services.user_authenticate(request=request, username=data["username"], password=data["password"])
        instance, key = services.auth_token_create(user=user, request=request)
        user = selectors.user_get_with_roles(user_id=user.pk)
        payload = {"token": key, "expiry": instance.expiry, "user": user}
        return Response(LoginOutputSerializer(payload).data)


class LogoutApi(APIView):
    @extend_schema(tags=["auth"], summary="Đăng xuất (huỷ token đang dùng)", request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.auth_token_delete(token=request.auth)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    @extend_schema(tags=["auth"], summary="Tài khoản đang đăng nhập và vai trò", responses={200: MeSerializer})
    def get(self, request):
        user = selectors.user_get_with_roles(user_id=request.user.pk)
        return Response(MeSerializer(user).data)

    @extend_schema(
        tags=["auth"],
        summary="Sửa thư điện tử và địa chỉ nhận kết quả qua bưu chính",
        request=ProfileInputSerializer,
        responses={200: MeSerializer},
    )
    def patch(self, request):
        serializer = ProfileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        services.profile_update(
            user=user,
            email=data.get("email", user.email),
            postal_address=data.get("postal_address", user.postal_address),
        )
        return Response(MeSerializer(selectors.user_get_with_roles(user_id=user.pk)).data)


class PasswordResetApi(_PublicApi):
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Quên mật khẩu: gửi mã OTP đến số điện thoại của tài khoản",
        request=UsernameInputSerializer,
        responses={200: OtpSentSerializer},
    )
    def post(self, request):
        otp = services.password_reset_start(username=self.parse(UsernameInputSerializer)["username"])
        return Response(OtpSentSerializer({"detail": str(OTP_SENT), "phone": masked_phone(otp.phone)}).data)


class PasswordResetConfirmApi(_PublicApi):
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Đặt mật khẩu mới bằng mã OTP (quên mật khẩu, hoặc nhận tài khoản do bộ phận một cửa tạo)",
        request=PasswordResetConfirmInputSerializer,
        responses={200: AccountSerializer},
    )
    def post(self, request):
        user = services.password_reset_confirm(**self.parse(PasswordResetConfirmInputSerializer))
        return Response(AccountSerializer(user).data)


class _OwnAccountApi(APIView):
    def parse(self, serializer_class, *, partial=False):
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def me(self):
        return Response(MeSerializer(selectors.user_get_with_roles(user_id=self.request.user.pk)).data)


class PasswordChangeApi(_OwnAccountApi):
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "auth"  # the old password is guessed no faster than at the login

    @extend_schema(
        tags=["auth"],
        summary="Đổi mật khẩu (tài khoản chưa có mật khẩu: đặt mật khẩu, không cần mật khẩu cũ)",
        request=PasswordChangeInputSerializer,
        responses={200: DetailSerializer},
    )
    def post(self, request):
        data = self.parse(PasswordChangeInputSerializer)
        user = services.password_change(
            user=request.user, old_password=data.get("old_password", ""), new_password=data["new_password"]
        )
        if not isinstance(request.auth, AuthToken):
            update_session_auth_hash(request._request, user)
        return Response({"detail": str(PASSWORD_CHANGED)})


class PhoneChangeApi(_OwnAccountApi):
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Đổi số điện thoại: gửi mã OTP đến số mới",
        request=PhoneInputSerializer,
        responses={200: OtpSentSerializer},
    )
    def post(self, request):
        otp = services.phone_change_start(user=request.user, phone=self.parse(PhoneInputSerializer)["phone"])
        return Response(OtpSentSerializer({"detail": str(OTP_SENT), "phone": otp.phone}).data)


class PhoneChangeConfirmApi(_OwnAccountApi):
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Xác nhận số điện thoại mới bằng mã OTP",
        request=PhoneChangeConfirmInputSerializer,
        responses={200: MeSerializer},
    )
    def post(self, request):
        data = self.parse(PhoneChangeConfirmInputSerializer)
        services.phone_change_confirm(user=request.user, phone=data["phone"], otp=data["otp"])
        return self.me()
