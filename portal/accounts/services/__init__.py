"""Account writes: registration, phone OTP, passwords, profile, officials, sign-in."""

from portal.accounts.services.auth import auth_token_create, auth_token_delete, user_authenticate
from portal.accounts.services.identity import user_from_national_identity
from portal.accounts.services.otp import otp_issue, otp_resend, otp_verify
from portal.accounts.services.password import password_change, password_reset_confirm, password_reset_start
from portal.accounts.services.preferences import user_set_notice_preferences
from portal.accounts.services.profile import phone_change_confirm, phone_change_start, profile_update
from portal.accounts.services.registration import (
    user_create_official,
    user_create_verified,
    user_register,
    user_register_or_claim,
)

__all__ = [
    "auth_token_create",
    "auth_token_delete",
    "otp_issue",
    "otp_resend",
    "otp_verify",
    "password_change",
    "password_reset_confirm",
    "password_reset_start",
    "phone_change_confirm",
    "phone_change_start",
    "profile_update",
    "user_authenticate",
    "user_create_official",
    "user_create_verified",
    "user_from_national_identity",
    "user_register",
    "user_register_or_claim",
    "user_set_notice_preferences",
]
