"""The shipments page's filter and the citizen's pickup request."""

from django import forms
from django.utils.translation import gettext_lazy

from dossiers.forms.delivery import PostalAddressForm
from postal.constants import ShipmentDirection

STATE_CHOICES = [
    ("", gettext_lazy("Tất cả")),
    ("in_transit", gettext_lazy("Đang chuyển")),
    ("failed", gettext_lazy("Phát không thành công")),
    ("returned", gettext_lazy("Đã hoàn trả cơ quan")),
    ("delivered", gettext_lazy("Đã phát thành công")),
    ("arrived", gettext_lazy("Hồ sơ thu gom đã đến, chờ tiếp nhận")),
]


class ShipmentFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Tình trạng"), choices=STATE_CHOICES, required=False)
    direction = forms.ChoiceField(
        label=gettext_lazy("Chiều gửi"),
        choices=[("", gettext_lazy("Cả hai chiều")), *ShipmentDirection.choices],
        required=False,
    )


class PickupForm(PostalAddressForm):
    """Where the postman calls for the paper dossier, and which of the procedure's agencies it goes to."""

    agency = forms.ChoiceField(label=gettext_lazy("Cơ quan nhận hồ sơ"))

    field_order = ["agency", *PostalAddressForm.ADDRESS_FIELDS]
    # The pickup service names the caller and the phone the postman rings as the API does.
    SERVICE_NAMES = {"recipient": "recipient_name", "phone": "recipient_phone"}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(agency.code, agency.name) for agency in agencies]
        self.fields["recipient_name"].label = gettext_lazy("Người gửi hồ sơ")
        self.fields["recipient_phone"].label = gettext_lazy("Điện thoại để bưu tá liên hệ")
        for name in ("recipient_name", "recipient_phone"):
            self.fields[name].widget.attrs["aria-required"] = "true"
            self.fields[name].marked_required = True

    def pickup_address(self) -> dict:
        names = {form_name: service_name for service_name, form_name in self.SERVICE_NAMES.items()}
        return {names.get(name, name): value for name, value in self.address().items()}

    def add_pickup_errors(self, exc) -> None:
        errors = getattr(exc, "errors", None)
        if isinstance(errors, dict):
            for name, messages in errors.items():
                field = self.SERVICE_NAMES.get(name, name)
                for message in messages if isinstance(messages, list) else [messages]:
                    self.add_error(field if field in self.fields else None, message)
            return
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)
