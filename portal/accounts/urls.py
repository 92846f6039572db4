from django.urls import path

from portal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/", views.verify_phone, name="verify_phone"),
    path("verify/resend/", views.resend_otp, name="resend_otp"),
    path("login/", views.login_view, name="login"),
    path("vneid/", views.vneid_login, name="vneid_login"),
    path("vneid/callback/", views.vneid_callback, name="vneid_callback"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("password/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/confirm/", views.password_reset_confirm, name="password_reset_confirm"),
    path("phone/", views.phone_change, name="phone_change"),
    path("phone/confirm/", views.phone_change_confirm, name="phone_change_confirm"),
    path("notices/", views.notice_settings, name="notice_settings"),
    path("outbox/", views.outbox, name="outbox"),
]
