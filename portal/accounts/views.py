"""Account pages: thin views over the same services as the API, with errors shown next to fields."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import selectors, services
from portal.accounts.forms import (
    LoginForm,
    NoticePreferencesForm,
    OutboxFilterForm,
    RegisterForm,
    ResendOtpForm,
    VerifyPhoneForm,
)
from portal.errors import PermissionDeniedError, ServiceError, TooManyRequestsError
from portal.throttling import page_throttle

SESSION_PHONE = "accounts_verify_phone"
OUTBOX_PAGE_SIZE = 20


def _render(request, template: str, context: dict, *, refused: TooManyRequestsError | None = None):
    """The page; a form refused for too many attempts answers 429 and says when to retry."""
    response = render(request, template, {"nav_section": "accounts", **context}, status=429 if refused else 200)
    if refused and refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


def _add_service_error(form, exc: ServiceError) -> TooManyRequestsError | None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return exc if isinstance(exc, TooManyRequestsError) and exc.retry_after else None


def register(request):
    form = RegisterForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "password_confirm"}
        try:
            page_throttle(request, scope="register")
            user = services.user_register(**data)
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            request.session[SESSION_PHONE] = user.phone
            messages.success(
                request, _("Đăng ký thành công. Mã OTP đã được gửi đến số %(phone)s.") % {"phone": user.phone}
            )
            return redirect("accounts:verify_phone")
    return _render(request, "accounts/register.html", {"form": form}, refused=refused)


def verify_phone(request):
    form = VerifyPhoneForm(request.POST or None, initial={"phone": request.session.get(SESSION_PHONE, "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.otp_verify(phone=form.cleaned_data["phone"], code=form.cleaned_data["otp"])
        except ServiceError as exc:
            _add_service_error(form, exc)
        else:
            request.session.pop(SESSION_PHONE, None)
            messages.success(request, _("Xác thực số điện thoại thành công. Mời bạn đăng nhập."))
            return redirect("accounts:login")
    phone = form["phone"].value() or ""
    return _render(
        request,
        "accounts/verify_phone.html",
        {
            "form": form,
            "resend_form": ResendOtpForm(initial={"phone": phone}),
            "otp_ttl_minutes": max(1, settings.OTP_TTL_SECONDS // 60),
            "resend_cooldown": settings.OTP_RESEND_COOLDOWN_SECONDS,
        },
    )


@require_POST
def resend_otp(request):
    form = ResendOtpForm(request.POST)
    if form.is_valid():
        try:
            otp = services.otp_resend(phone=form.cleaned_data["phone"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            request.session[SESSION_PHONE] = otp.phone
            messages.success(request, _("Mã OTP mới đã được gửi đến số %(phone)s.") % {"phone": otp.phone})
    return redirect("accounts:verify_phone")


def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            page_throttle(request, scope="auth")
            user = services.user_authenticate(request=request, **form.cleaned_data)
        except PermissionDeniedError as exc:
            # The password was right: let them finish verifying the phone they registered.
            form.add_error(None, exc.message)
            request.session[SESSION_PHONE] = _account_phone(form.cleaned_data["username"])
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            login(request, user)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
            return redirect(next_url)
    return _render(request, "accounts/login.html", {"form": form, "next": next_url}, refused=refused)


def _account_phone(username: str) -> str:
    user = selectors.user_find_by_login(username=username)
    return user.phone if user else ""


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def profile(request):
    user = selectors.user_get_with_roles(user_id=request.user.pk)
    return _render(request, "accounts/profile.html", {"account": user, "roles": selectors.user_roles(user=user)})


@login_required
def notice_settings(request):
    """How the notices that matter reach this person: SMS, e-mail or both, and in which language."""
    user = request.user
    form = NoticePreferencesForm(
        request.POST or None,
        initial={"notice_channels": user.notice_channels, "notice_language": user.notice_language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_notice_preferences(
                user=user,
                channels=form.cleaned_data["notice_channels"],
                language=form.cleaned_data["notice_language"],
            )
        except ServiceError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("accounts:notice_settings")
    return _render(request, "accounts/notice_settings.html", {"form": form, "account": user})


def outbox(request):
    """Demo only: lets a trainer (or a demo user who just registered) read the SMS and e-mails sent."""
    if not settings.DEMO_MODE:
        raise Http404
    form = OutboxFilterForm(request.GET or None)
    recipient = form.cleaned_data["recipient"] if form.is_valid() else ""
    page = Paginator(selectors.outbox_messages(recipient=recipient), OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "accounts/outbox.html", {"form": form, "page": page, "recipient": recipient})
