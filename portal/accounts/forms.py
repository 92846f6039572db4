"""Web forms: they only collect input; the services validate it and the views put errors on fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.constants import NOTICE_LANGUAGES, AccountKind, NoticeChannels
from portal.accounts.services.registration import SELF_REGISTER_KINDS
from procedures.addresses import communes_of, find_province, provinces

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


def _password_field(label, autocomplete="new-password", required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=128,
        strip=False,
        required=required,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class _NewPasswordForm(forms.Form):
    password = _password_field(
        _("Mật khẩu mới"), help_text=_("Ít nhất 8 ký tự, không quá đơn giản, không giống thông tin cá nhân.")
    )
    password_confirm = _password_field(_("Nhập lại mật khẩu mới"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", PASSWORDS_DIFFER)
        return cleaned


class PasswordResetStartForm(forms.Form):
    username = forms.CharField(
        label=_("Số điện thoại hoặc số CCCD"),
        max_length=32,
        help_text=_("Mã OTP được gửi đến số điện thoại đã đăng ký của tài khoản."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class PasswordResetConfirmForm(_NewPasswordForm):
    username = forms.CharField(
        label=_("Số điện thoại hoặc số CCCD"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    otp = forms.CharField(
        label=_("Mã OTP"),
        max_length=12,
        help_text=_("Mã gồm 6 chữ số trong tin nhắn SMS."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    field_order = ["username", "otp", "password", "password_confirm"]


class PasswordChangeForm(_NewPasswordForm):
    old_password = _password_field(_("Mật khẩu hiện tại"), autocomplete="current-password", required=False)
    field_order = ["old_password", "password", "password_confirm"]

    def __init__(self, *args, has_password: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if has_password:
            self.fields["old_password"].required = True
        else:
            del self.fields["old_password"]  # signed in with VNeID or opened at the counter: no password yet


class ProfileForm(forms.Form):
    email = forms.CharField(
        label=_("Thư điện tử"), max_length=254, required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    province = forms.CharField(label=_("Tỉnh/thành phố"), required=False, max_length=100, widget=forms.Select)
    district = forms.CharField(
        label=_("Quận/huyện"),
        required=False,
        max_length=100,
        help_text=_("Bỏ trống nếu địa phương không còn cấp huyện."),
    )
    commune = forms.CharField(
        label=_("Xã/phường/đặc khu"),
        required=False,
        max_length=100,
        widget=forms.Select,
        help_text=_("Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Nạp danh sách xã/phường”."),
    )
    street = forms.CharField(label=_("Số nhà, đường, thôn/xóm"), required=False, max_length=200)

    ADDRESS_FIELDS = ("province", "district", "commune", "street")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("— Chọn —"))]
        self.fields["province"].widget.choices = blank + [(p.name, p.name) for p in provinces()]
        chosen = self.data.get("province") if self.is_bound else self.initial.get("province", "")
        province = find_province(chosen or "")
        communes = communes_of(province.code) if province else ()
        self.fields["commune"].widget.choices = blank + [(c.name, c.name) for c in communes]
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def address(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.ADDRESS_FIELDS}


class PhoneChangeForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại di động mới"),
        max_length=20,
        help_text=_("Mã OTP được gửi đến số mới; số chỉ được đổi khi bạn nhập đúng mã."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PhoneChangeConfirmForm(PhoneChangeForm):
    otp = forms.CharField(
        label=_("Mã OTP"),
        max_length=12,
        help_text=_("Mã gồm 6 chữ số trong tin nhắn SMS gửi đến số mới."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


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
