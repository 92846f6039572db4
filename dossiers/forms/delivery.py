"""How the applicant gets the result, with the postal address; the citizen's wizard and counter intake share it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.constants import DeliveryMethod


class DeliveryForm(forms.Form):
    delivery_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), widget=forms.RadioSelect)
    province = forms.CharField(label=_("Tỉnh/thành phố"), required=False, max_length=100)
    district = forms.CharField(
        label=_("Quận/huyện"),
        required=False,
        max_length=100,
        help_text=_("Bỏ trống nếu địa phương không còn cấp huyện."),
    )
    commune = forms.CharField(label=_("Xã/phường/thị trấn"), required=False, max_length=100)
    street = forms.CharField(label=_("Số nhà, đường, thôn/xóm"), required=False, max_length=200)
    recipient_name = forms.CharField(label=_("Người nhận"), required=False, max_length=100)
    recipient_phone = forms.CharField(label=_("Điện thoại người nhận"), required=False, max_length=10)

    ADDRESS_FIELDS = ("province", "district", "commune", "street", "recipient_name", "recipient_phone")
    ADDRESS_REQUIRED = ("province", "commune", "street")

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_method"].choices = [
            (method.value, method.label) for method in DeliveryMethod if method.value in methods
        ]
        for name in self.ADDRESS_REQUIRED:
            self.fields[name].widget.attrs["aria-required"] = "true"
            self.fields[name].marked_required = True
        self.fields["recipient_phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["recipient_name"].widget.attrs["autocomplete"] = "name"

    def address(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.ADDRESS_FIELDS}

    def address_fields(self):
        return [self[name] for name in self.ADDRESS_FIELDS]

    def add_service_errors(self, exc) -> None:
        errors = getattr(exc, "errors", None)
        if isinstance(errors, dict):
            for name, messages in errors.get("delivery_address", {}).items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)
