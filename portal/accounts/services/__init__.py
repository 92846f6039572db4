"""Account writes: registration, phone OTP, officials, sign-in."""

from portal.accounts.services.auth import auth_token_create, auth_token_delete, user_authenticate
from portal.accounts.services.otp import otp_issue, otp_resend, otp_verify
from portal.accounts.services.preferences import user_set_notice_preferences
from portal.accounts.services.registration import user_create_official, user_create_verified, user_register

__all__ = [
    "auth_token_create",
    "auth_token_delete",
    "otp_issue",
    "otp_resend",
    "otp_verify",
    "user_authenticate",
    "user_create_official",
    "user_create_verified",
    "user_register",
    "user_set_notice_preferences",
]
