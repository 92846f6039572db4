"""Web forms of the citizen's pages, and the attributes of their file inputs."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dossiers.constants import DossierStatus
from dossiers.uploads import SHORT_TYPE_NAMES, SUPPORTED_TYPES, TYPE_LABELS


def accept_attribute(accepted_types) -> str:
    """The `accept` of a file input: extensions and MIME types, so every phone's picker understands it."""
    mime_types = [SHORT_TYPE_NAMES.get(str(name).lower(), str(name).lower()) for name in accepted_types]
    parts = []
    for mime in dict.fromkeys(mime_types):
        if mime in SUPPORTED_TYPES:
            parts += [SUPPORTED_TYPES[mime], mime]
            if mime == "image/jpeg":
                parts.append(".jpeg")
    return ",".join(parts)


def accepted_labels(accepted_types) -> str:
    mime_types = {SHORT_TYPE_NAMES.get(str(name).lower(), str(name).lower()) for name in accepted_types}
    return ", ".join(label for mime, label in TYPE_LABELS.items() if mime in mime_types)


def size_limit_label() -> str:
    return filesizeformat(settings.ATTACHMENT_MAX_BYTES)


class AgencyChoiceForm(forms.Form):
    agency = forms.ChoiceField(label=_("Cơ quan tiếp nhận hồ sơ"))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(agency.code, agency.name) for agency in agencies]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú gửi cán bộ"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: đã bổ sung bản chụp giấy chứng sinh rõ nét hơn."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần nêu lý do.")},
    )
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng hồ sơ đã rút thì không tiếp tục giải quyết và không khôi phục được."),
        error_messages={"required": _("Hãy đánh dấu xác nhận để rút hồ sơ.")},
    )


SCORE_CHOICES = [
    (5, _("5 — Rất hài lòng")),
    (4, _("4 — Hài lòng")),
    (3, _("3 — Bình thường")),
    (2, _("2 — Không hài lòng")),
    (1, _("1 — Rất không hài lòng")),
]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn một mức từ 1 đến 5.")},
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        help_text=_("In trên giấy tiếp nhận, ví dụ 000.00.15.H26-261124-0007."),
        error_messages={"required": _("Nhập mã hồ sơ.")},
    )
    id_last4 = forms.RegexField(
        label=_("4 số cuối số CCCD hoặc số điện thoại của người nộp"),
        regex=r"^\d{4}$",
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Nhập 4 chữ số."), "invalid": _("Nhập đúng 4 chữ số.")},
    )


class MyDossiersFilterForm(forms.Form):
    search = forms.CharField(
        label=_("Mã hồ sơ hoặc tên thủ tục"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *DossierStatus.choices],
    )
