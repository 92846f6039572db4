"""The shipments page's filter."""

from django import forms
from django.utils.translation import gettext_lazy

from postal.constants import ShipmentDirection

STATE_CHOICES = [
    ("", gettext_lazy("Tất cả")),
    ("in_transit", gettext_lazy("Đang chuyển")),
    ("failed", gettext_lazy("Phát không thành công")),
    ("returned", gettext_lazy("Đã hoàn trả cơ quan")),
    ("delivered", gettext_lazy("Đã phát thành công")),
]


class ShipmentFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Tình trạng"), choices=STATE_CHOICES, required=False)
    direction = forms.ChoiceField(
        label=gettext_lazy("Chiều gửi"),
        choices=[("", gettext_lazy("Cả hai chiều")), *ShipmentDirection.choices],
        required=False,
    )
