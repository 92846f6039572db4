"""Web forms: they only collect input; the services validate it and the views put errors on fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.constants import NOTICE_LANGUAGES, AccountKind, NoticeChannels
from portal.accounts.services.registration import SELF_REGISTER_KINDS

PASSWORDS_DIFFER = _("Hai mật khẩu không khớp.")


class RegisterForm(forms.Form):
    account_type = forms.ChoiceField(
        label=_("Loại tài khoản"),
        choices=[(kind.value, kind.label) for kind in SELF_REGISTER_KINDS],
        initial=AccountKind.CITIZEN,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=200, help_text=_("Tổ chức, doanh nghiệp: nhập tên tổ chức.")
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Mã OTP sẽ được gửi đến số này. Tổ chức: số của người đại diện."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    national_id = forms.CharField(
        label=_("Số CCCD"),
        max_length=20,
        required=False,
        help_text=_("12 chữ số. Bắt buộc với công dân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=20,
        required=False,
        help_text=_("10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc. Bắt buộc với tổ chức."),
    )
    email = forms.CharField(
        label=_("Thư điện tử"), max_length=254, required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        max_length=128,
        strip=False,
        help_text=_("Ít nhất 8 ký tự, không quá đơn giản, không giống thông tin cá nhân."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", PASSWORDS_DIFFER)
        return cleaned


class VerifyPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại di động"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    otp = forms.CharField(
        label=_("Mã OTP"),
        max_length=12,
        help_text=_("Mã gồm 6 chữ số trong tin nhắn SMS."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ResendOtpForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Số điện thoại hoặc số CCCD"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OutboxFilterForm(forms.Form):
    recipient = forms.CharField(label=_("Người nhận (số điện thoại hoặc thư điện tử)"), max_length=254, required=False)


class NoticePreferencesForm(forms.Form):
    notice_channels = forms.ChoiceField(
        label=_("Nhận thông báo quan trọng qua"),
        choices=NoticeChannels.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Thông báo quan trọng: hồ sơ đã được tiếp nhận, cần bổ sung, cần thanh toán, đã có kết quả, "
            "đã phát hoặc bị hoàn trả, bị từ chối, hẹn lại ngày trả. Mọi thông báo đều có trên cổng."
        ),
    )
    notice_language = forms.ChoiceField(label=_("Ngôn ngữ của thông báo"), choices=NOTICE_LANGUAGES)
