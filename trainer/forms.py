from django import forms
from django.utils.translation import gettext_lazy as _

from trainer.clockwork import MAX_HOURS, MAX_WORKING_DAYS


class ClockForm(forms.Form):
    UNITS = (("hours", _("giờ")), ("working_days", _("ngày làm việc")))
    amount = forms.IntegerField(label=_("Dời đồng hồ thêm"), min_value=1, max_value=MAX_HOURS, initial=1)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=UNITS, initial="working_days")

    def clean(self):
        data = super().clean()
        if data.get("unit") == "working_days" and (data.get("amount") or 0) > MAX_WORKING_DAYS:
            raise forms.ValidationError(_("Mỗi lần dời tối đa %(n)s ngày làm việc.") % {"n": MAX_WORKING_DAYS})
        return data
