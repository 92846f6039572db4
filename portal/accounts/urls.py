from django.urls import path

from portal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/", views.verify_phone, name="verify_phone"),
    path("verify/resend/", views.resend_otp, name="resend_otp"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("notices/", views.notice_settings, name="notice_settings"),
    path("outbox/", views.outbox, name="outbox"),
]
