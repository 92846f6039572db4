"""Accounts REST API: each view parses, calls one service or selector, and serializes."""

from django.contrib.auth import logout
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
    PhoneInputSerializer,
    RegisterInputSerializer,
    VerifyPhoneInputSerializer,
)
from portal.api.schema import error_response
from portal.throttling import ClientScopedRateThrottle

OTP_SENT = _("Mã OTP mới đã được gửi đến số điện thoại.")


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
        request=RegisterInputSerializer,
        responses={201: AccountSerializer},
    )
    def post(self, request):
        user = services.user_register(**self.parse(RegisterInputSerializer))
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
