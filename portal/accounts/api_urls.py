from django.urls import path

from portal.accounts import apis

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="api-auth-register"),
    path("auth/verify-phone/", apis.VerifyPhoneApi.as_view(), name="api-auth-verify-phone"),
    path("auth/resend-otp/", apis.ResendOtpApi.as_view(), name="api-auth-resend-otp"),
    path("auth/login/", apis.LoginApi.as_view(), name="api-auth-login"),
    path("auth/logout/", apis.LogoutApi.as_view(), name="api-auth-logout"),
    path("auth/password-reset/", apis.PasswordResetApi.as_view(), name="api-auth-password-reset"),
    path(
        "auth/password-reset/confirm/", apis.PasswordResetConfirmApi.as_view(), name="api-auth-password-reset-confirm"
    ),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("me/password/", apis.PasswordChangeApi.as_view(), name="api-me-password"),
    path("me/phone/", apis.PhoneChangeApi.as_view(), name="api-me-phone"),
    path("me/phone/confirm/", apis.PhoneChangeConfirmApi.as_view(), name="api-me-phone-confirm"),
]
