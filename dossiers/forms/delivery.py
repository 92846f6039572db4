"""How the applicant gets the result, with the postal address; the citizen's wizard and counter intake share it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.addresses import communes_of, find_province, provinces
from procedures.constants import DeliveryMethod


class PostalAddressForm(forms.Form):
    """An address the post can find: province and commune from the country's units, street, who and a phone."""

    # Select boxes over free text: the service matches what is sent against the country's units, so a
    # value typed by an API client or an older page is still understood (see procedures.addresses).
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
        help_text=_("Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Tiếp tục” để nạp lại."),
    )
    street = forms.CharField(label=_("Số nhà, đường, thôn/xóm"), required=False, max_length=200)
    recipient_name = forms.CharField(label=_("Người nhận"), required=False, max_length=100)
    recipient_phone = forms.CharField(label=_("Điện thoại người nhận"), required=False, max_length=10)

    ADDRESS_FIELDS = ("province", "district", "commune", "street", "recipient_name", "recipient_phone")
    ADDRESS_REQUIRED = ("province", "commune", "street")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.ADDRESS_REQUIRED:
            self.fields[name].widget.attrs["aria-required"] = "true"
            self.fields[name].marked_required = True
        self._offer_units()
        self.fields["recipient_phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["recipient_name"].widget.attrs["autocomplete"] = "name"

    def _offer_units(self) -> None:
        """Every province, and the communes of the one chosen (in the posted data, else the initial)."""
        blank = [("", _("— Chọn —"))]
        self.fields["province"].widget.choices = blank + [(p.name, p.name) for p in provinces()]
        chosen = self.data.get(self.add_prefix("province")) if self.is_bound else None
        province = find_province(chosen if chosen is not None else self.initial.get("province", ""))
        communes = communes_of(province.code) if province else ()
        self.fields["commune"].widget.choices = blank + [(c.name, c.name) for c in communes]

    def address(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.ADDRESS_FIELDS}

    def address_fields(self):
        return [self[name] for name in self.ADDRESS_FIELDS]

    def add_service_errors(self, exc) -> None:
        """Place a service's errors on the fields they name (a nested `delivery_address` dict or one field)."""
        errors = getattr(exc, "errors", None)
        if isinstance(errors, dict):
            for name, messages in errors.get("delivery_address", {}).items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class DeliveryForm(PostalAddressForm):
    delivery_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), widget=forms.RadioSelect)

    field_order = ["delivery_method", *PostalAddressForm.ADDRESS_FIELDS]

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_method"].choices = [
            (method.value, method.label) for method in DeliveryMethod if method.value in methods
        ]
