"""Account pages: thin views over the same services as the API, with errors shown next to fields."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import access, selectors, services, vneid
from portal.accounts.forms import (
    LoginForm,
    NoticePreferencesForm,
    OutboxFilterForm,
    PasswordChangeForm,
    PasswordResetConfirmForm,
    PasswordResetStartForm,
    PhoneChangeConfirmForm,
    PhoneChangeForm,
    ProfileForm,
    RegisterForm,
    ResendOtpForm,
    VerifyPhoneForm,
)
from portal.accounts.services.registration import registration_errors
from portal.errors import FieldErrors, PermissionDeniedError, ServiceError, TooManyRequestsError
from portal.formatting import masked_phone
from portal.throttling import page_throttle

SESSION_PHONE = "accounts_verify_phone"
SESSION_VNEID_NEXT = "accounts_vneid_next"
SESSION_RESET = "accounts_reset_username"
SESSION_CLAIM = "accounts_claim"
SESSION_NEW_PHONE = "accounts_new_phone"
REFRESH_COMMUNES = "communes"
OUTBOX_PAGE_SIZE = 20


def _render(request, template: str, context: dict, *, refused: TooManyRequestsError | None = None):
    """The page; a form refused for too many attempts answers 429 and says when to retry."""
    response = render(request, template, {"nav_section": "accounts", **context}, status=429 if refused else 200)
    if refused and refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


def _add_service_error(form, exc: ServiceError) -> TooManyRequestsError | None:
    if isinstance(exc, FieldErrors):
        for field, errors in exc.errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return None
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return exc if isinstance(exc, TooManyRequestsError) else None


def register(request):
    form = RegisterForm(request.POST or None)
    refused = None
    if request.method == "POST" and not form.is_valid():
        _add_registration_errors(form)
    elif request.method == "POST":
        data = {key: value for key, value in form.cleaned_data.items() if key != "password_confirm"}
        try:
            page_throttle(request, scope="register")
            user, claimed = services.user_register_or_claim(**data)
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            if claimed:
                request.session[SESSION_RESET] = user.national_id
                request.session[SESSION_CLAIM] = True
                messages.info(
                    request,
                    _(
                        "Số CCCD này đã có tài khoản do bộ phận một cửa tạo khi bạn nộp hồ sơ giấy. Mã OTP đã được "
                        "gửi đến số %(phone)s đăng ký tại quầy: nhập mã và đặt mật khẩu để dùng tài khoản."
                    )
                    % {"phone": masked_phone(user.phone)},
                )
                return redirect("accounts:password_reset_confirm")
            request.session[SESSION_PHONE] = user.phone
            messages.success(
                request, _("Đăng ký thành công. Mã OTP đã được gửi đến số %(phone)s.") % {"phone": user.phone}
            )
            return redirect("accounts:verify_phone")
    return _render(request, "accounts/register.html", {"form": form}, refused=refused)


def _add_registration_errors(form) -> None:
    """The form refused something itself (a missing field, passwords that differ): name every other problem too."""
    names = ("account_type", "full_name", "phone", "national_id", "tax_code", "email", "password")
    data = {name: str(form.data.get(name, "")) for name in names}
    for field, errors in registration_errors(**data).items():
        if field in form.fields and field not in form.errors:
            for error in errors:
                form.add_error(field, error)


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
            return redirect(_after_login(request, next_url))
    context = {"form": form, "next": next_url, "vneid_enabled": vneid.is_enabled()}
    return _render(request, "accounts/login.html", context, refused=refused)


def vneid_login(request):
    """Off to the national identity provider; it sends the person back to vneid_callback."""
    if not vneid.is_enabled():
        raise Http404
    try:
        page_throttle(request, scope="auth")
        response = vneid.authorization_redirect(request)
    except TooManyRequestsError as exc:
        return _vneid_refused(request, exc.message, status=429)
    except vneid.IdentityProviderError:
        unavailable = _("Hệ thống định danh điện tử VNeID đang không trả lời. Vui lòng thử lại sau.")
        return _vneid_refused(request, unavailable, status=503)
    request.session[SESSION_VNEID_NEXT] = request.GET.get("next", "")
    return response


def vneid_callback(request):
    """The provider's answer: checked (state, PKCE, ID token signature, nonce), then the account signed in."""
    if not vneid.is_enabled():
        raise Http404
    try:
        page_throttle(request, scope="auth")
        identity = vneid.identity_from_callback(request)
        user = authenticate(request, national_identity=identity)
    except TooManyRequestsError as exc:
        return _vneid_refused(request, exc.message, status=429)
    except vneid.IdentityProviderError:
        return _vneid_refused(request, str(vneid.SIGN_IN_REFUSED))
    except ServiceError as exc:
        return _vneid_refused(request, exc.message, status=exc.status_code)
    if user is None:
        return _vneid_refused(request, _("Không đăng nhập được lúc này. Vui lòng thử lại sau."), status=429)
    login(request, user)
    messages.success(request, _("Đã đăng nhập bằng tài khoản định danh điện tử VNeID."))
    return redirect(_after_login(request, request.session.pop(SESSION_VNEID_NEXT, "")))


def _vneid_refused(request, message: str, *, status: int = 400):
    context = {
        "form": LoginForm(),
        "nav_section": "accounts",
        "vneid_enabled": vneid.is_enabled(),
        "vneid_error": message,
    }
    return render(request, "accounts/login.html", context, status=status)


def _after_login(request, next_url: str) -> str:
    """The page asked for when it is on this site, else where the person's work is."""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        return next_url
    return access.landing_url(request.user, access.user_role_names(request.user))


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
    """Demo only: lets a trainer or an admin read the SMS and e-mails sent, OTP codes included."""
    if not settings.DEMO_MODE:
        raise Http404
    if not access.may_read_outbox(request.user, access.user_role_names(request.user)):
        raise PermissionDenied
    form = OutboxFilterForm(request.GET or None)
    recipient = form.cleaned_data["recipient"] if form.is_valid() else ""
    page = Paginator(selectors.outbox_messages(recipient=recipient), OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "accounts/outbox.html", {"form": form, "page": page, "recipient": recipient})


def password_reset(request):
    """Forgotten password, step 1: a code to the account's phone."""
    form = PasswordResetStartForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            page_throttle(request, scope="otp")
            otp = services.password_reset_start(username=form.cleaned_data["username"])
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            request.session[SESSION_RESET] = form.cleaned_data["username"]
            request.session.pop(SESSION_CLAIM, None)
            messages.success(request, _("Mã OTP đã được gửi đến số %(phone)s.") % {"phone": masked_phone(otp.phone)})
            return redirect("accounts:password_reset_confirm")
    context = {
        "form": form,
        "heading": _("Quên mật khẩu"),
        "intro": _("Nhập số điện thoại hoặc số CCCD của tài khoản; mã OTP sẽ được gửi đến số điện thoại đã đăng ký."),
        "submit_label": _("Gửi mã OTP"),
        "back_url": resolve_url("accounts:login"),
        "back_label": _("Quay lại đăng nhập"),
    }
    return _render(request, "accounts/form_page.html", context, refused=refused)


def password_reset_confirm(request):
    """Forgotten password (or an account opened at the counter), step 2: the code and a new password."""
    username = request.session.get(SESSION_RESET, "")
    form = PasswordResetConfirmForm(request.POST or None, initial={"username": username})
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            page_throttle(request, scope="otp")
            services.password_reset_confirm(
                username=form.cleaned_data["username"],
                otp=form.cleaned_data["otp"],
                password=form.cleaned_data["password"],
            )
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            request.session.pop(SESSION_RESET, None)
            request.session.pop(SESSION_CLAIM, None)
            messages.success(request, _("Đã đặt mật khẩu mới. Mời bạn đăng nhập."))
            return redirect("accounts:login")
    claim = request.session.get(SESSION_CLAIM, False)
    context = {
        "form": form,
        "heading": _("Nhận tài khoản đã tạo tại quầy") if claim else _("Đặt lại mật khẩu"),
        "intro": _("Nhập mã OTP trong tin nhắn SMS và chọn mật khẩu mới."),
        "submit_label": _("Đặt mật khẩu"),
        "back_url": resolve_url("accounts:password_reset"),
        "back_label": _("Gửi lại mã"),
    }
    return _render(request, "accounts/form_page.html", context, refused=refused)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None, has_password=request.user.has_usable_password())
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            page_throttle(request, scope="auth")  # the old password is guessed no faster than at the login
            user = services.password_change(
                user=request.user,
                old_password=form.cleaned_data.get("old_password", ""),
                new_password=form.cleaned_data["password"],
            )
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            update_session_auth_hash(request, user)  # stay signed in here; other sessions end
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("accounts:profile")
    context = {
        "form": form,
        "heading": _("Đổi mật khẩu") if request.user.has_usable_password() else _("Đặt mật khẩu"),
        "submit_label": _("Lưu mật khẩu"),
        "back_url": resolve_url("accounts:profile"),
        "back_label": _("Quay lại tài khoản"),
    }
    return _render(request, "accounts/form_page.html", context, refused=refused)


@login_required
def profile_edit(request):
    user = request.user
    initial = {"email": user.email, **{name: user.postal_address.get(name, "") for name in ProfileForm.ADDRESS_FIELDS}}
    if request.method == "POST" and request.POST.get("intent") == REFRESH_COMMUNES:
        form = ProfileForm(initial=request.POST.dict())
    else:
        form = ProfileForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.profile_update(user=user, email=form.cleaned_data["email"], postal_address=form.address())
            except ServiceError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("Đã lưu thông tin tài khoản."))
                return redirect("accounts:profile")
    context = {
        "form": form,
        "heading": _("Sửa thông tin tài khoản"),
        "intro": _("Địa chỉ này được điền sẵn khi bạn chọn nhận kết quả qua bưu chính."),
        "submit_label": _("Lưu"),
        "refresh_label": _("Nạp danh sách xã/phường"),
        "back_url": resolve_url("accounts:profile"),
        "back_label": _("Quay lại tài khoản"),
    }
    return _render(request, "accounts/form_page.html", context)


@login_required
def phone_change(request):
    form = PhoneChangeForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            page_throttle(request, scope="otp")
            otp = services.phone_change_start(user=request.user, phone=form.cleaned_data["phone"])
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            request.session[SESSION_NEW_PHONE] = otp.phone
            messages.success(request, _("Mã OTP đã được gửi đến số %(phone)s.") % {"phone": otp.phone})
            return redirect("accounts:phone_change_confirm")
    context = {
        "form": form,
        "heading": _("Đổi số điện thoại"),
        "submit_label": _("Gửi mã OTP"),
        "back_url": resolve_url("accounts:profile"),
        "back_label": _("Quay lại tài khoản"),
    }
    return _render(request, "accounts/form_page.html", context, refused=refused)


@login_required
def phone_change_confirm(request):
    form = PhoneChangeConfirmForm(request.POST or None, initial={"phone": request.session.get(SESSION_NEW_PHONE, "")})
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            page_throttle(request, scope="otp")
            services.phone_change_confirm(
                user=request.user, phone=form.cleaned_data["phone"], otp=form.cleaned_data["otp"]
            )
        except ServiceError as exc:
            refused = _add_service_error(form, exc)
        else:
            request.session.pop(SESSION_NEW_PHONE, None)
            messages.success(request, _("Đã đổi số điện thoại của tài khoản."))
            return redirect("accounts:profile")
    context = {
        "form": form,
        "heading": _("Xác nhận số điện thoại mới"),
        "submit_label": _("Xác nhận"),
        "back_url": resolve_url("accounts:phone_change"),
        "back_label": _("Gửi lại mã"),
    }
    return _render(request, "accounts/form_page.html", context, refused=refused)
