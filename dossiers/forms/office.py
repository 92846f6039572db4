"""Web forms of the back-office pages: the queue filter, one form per workflow action, counter intake."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.constants import IntakeChannel
from dossiers.models import Dossier
from dossiers.services import review
from portal.accounts.validators import normalize_national_id, normalize_phone
from portal.formatting import vnd

TABS = (
    ("", gettext_lazy("Tất cả")),
    ("new", gettext_lazy("Mới")),
    ("processing", gettext_lazy("Đang xử lý")),
    ("supplement", gettext_lazy("Chờ bổ sung")),
    ("approval", gettext_lazy("Chờ phê duyệt")),
    ("result", gettext_lazy("Có kết quả")),
    ("delivery", gettext_lazy("Đang chuyển phát")),
    ("overdue", gettext_lazy("Quá hạn")),
)


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=TABS, required=False, widget=forms.HiddenInput)
    search = forms.CharField(
        label=gettext_lazy("Mã hồ sơ hoặc tên người nộp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    assignee = forms.ChoiceField(
        label=gettext_lazy("Người xử lý"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("me", gettext_lazy("Tôi xử lý")),
            ("none", gettext_lazy("Chưa phân công")),
        ],
    )
    due_soon = forms.BooleanField(label=gettext_lazy("Sắp đến hạn (trong 2 ngày)"), required=False)


class ActionForm(forms.Form):
    """The inputs one transition needs (its `requires`); the rules themselves stay in the services."""

    def __init__(self, *args, transition, dossier: Dossier, processors=(), **kwargs):
        super().__init__(*args, prefix=transition.action, **kwargs)
        self.transition = transition
        self.negative = transition.negative
        needs = set(transition.requires)
        if "reason" in needs:
            self.fields["reason"] = forms.CharField(
                label=transition.reason_label,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": gettext_lazy("Cần nêu lý do.")},
                help_text=(
                    gettext_lazy("Chỉ cán bộ xem được nội dung này.")
                    if not transition.reason_is_public
                    else gettext_lazy("Người nộp sẽ nhận được nội dung này.")
                ),
            )
        if "assignee" in needs:
            self.fields["assignee"] = forms.TypedChoiceField(
                label=gettext_lazy("Chuyên viên xử lý"),
                coerce=int,
                choices=[("", gettext_lazy("— Chọn —")), *((u.pk, u.full_name) for u in processors)],
                initial=dossier.assignee_id,
            )
        if "file" in needs:
            self.fields["file"] = forms.FileField(
                label=gettext_lazy("Tệp kết quả giải quyết (PDF)"),
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
            )
        if "amount" in needs:
            owed = dossier.amount_due - dossier.amount_paid
            self.fields["amount"] = forms.IntegerField(
                label=gettext_lazy("Số tiền thu (đồng)"),
                min_value=1,
                initial=owed,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                help_text=_("Còn phải nộp: %(owed)s đồng.") % {"owed": vnd(owed)},
            )
        if "new_due_at" in needs:
            self.fields["new_due_at"] = forms.DateField(
                label=gettext_lazy("Ngày hẹn trả kết quả mới"),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=gettext_lazy("Một ngày làm việc sau ngày hẹn cũ; hạn là giờ đóng cửa của ngày đó."),
            )
        if "papers" in needs:
            self.fields["documents"] = forms.MultipleChoiceField(
                label=gettext_lazy("Giấy tờ cần bổ sung"),
                required=False,
                choices=[(d.key, d.name) for d in dossier.procedure.required_documents.all()],
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy("Người nộp phải gửi đủ các giấy tờ đã chọn mới gửi bổ sung được."),
            )
            self.fields["other_documents"] = forms.CharField(
                label=gettext_lazy("Giấy tờ khác cần bổ sung (mỗi dòng một giấy tờ)"),
                required=False,
                max_length=1200,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext_lazy("Giấy tờ ngoài danh mục của thủ tục, ví dụ: Bản sao giấy khai sinh."),
            )
        if "reason" not in needs:
            self.fields["note"] = forms.CharField(
                label=gettext_lazy("Ghi chú nội bộ"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext_lazy("Không gửi cho người nộp."),
            )

    def perform(self, *, dossier: Dossier, user) -> Dossier:
        data = self.cleaned_data
        return review.dossier_act(
            dossier_id=dossier.pk,
            user=user,
            action=self.transition.action,
            data=review.ActionInput(
                note=data.get("note", ""),
                reason=data.get("reason", ""),
                assignee_id=data.get("assignee"),
                amount=data.get("amount"),
                result_file=data.get("file"),
                new_due_at=data.get("new_due_at"),
                papers=tuple(data.get("documents") or ()),
                other_papers=tuple((data.get("other_documents") or "").splitlines()),
            ),
        )


class CounterProcedureForm(forms.Form):
    procedure = forms.ChoiceField(label=gettext_lazy("Thủ tục"))

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", gettext_lazy("— Chọn thủ tục —"))] + [
            (p.code, f"{p.name} ({p.code})") for p in procedures
        ]


class CounterApplicantForm(forms.Form):
    applicant_full_name = forms.CharField(
        label=gettext_lazy("Họ và tên người nộp"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    applicant_national_id = forms.CharField(
        label=gettext_lazy("Số CCCD"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("12 chữ số. Người đã có tài khoản sẽ thấy hồ sơ này trong “Hồ sơ của tôi”."),
    )
    applicant_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy("Nhận tin nhắn về tình trạng hồ sơ."),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Hồ sơ được nộp"),
        choices=[
            (IntakeChannel.COUNTER, gettext_lazy("Trực tiếp tại bộ phận một cửa")),
            (IntakeChannel.POSTAL, gettext_lazy("Qua bưu chính")),
        ],
        initial=IntakeChannel.COUNTER,
        widget=forms.RadioSelect,
    )
    on_behalf_note = forms.CharField(
        label=gettext_lazy("Ghi chú nộp thay (nếu có)"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Ví dụ: người cao tuổi, người khuyết tật được cán bộ hỗ trợ nhập hồ sơ."),
    )

    # The accounts validators, so every mistake shows at once rather than one per submit.
    def clean_applicant_national_id(self):
        return normalize_national_id(self.cleaned_data["applicant_national_id"])

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])


class RegisterForm(forms.Form):
    """Form 06: which agency's register, for which days, in which format."""

    agency = forms.ChoiceField(label=gettext_lazy("Cơ quan"))
    date_from = forms.DateField(
        label=gettext_lazy("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=gettext_lazy("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[("pdf", gettext_lazy("PDF (A4, để in)")), ("xlsx", gettext_lazy("Excel (XLSX)"))],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, f"{a.name} ({a.code})") for a in agencies]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", gettext_lazy("Đến ngày phải sau từ ngày."))
        return data


class ScanForm(forms.Form):
    """The counter's scan of one paper of a paper dossier."""

    document = forms.ChoiceField(label=gettext_lazy("Giấy tờ"))
    file = forms.FileField(
        label=gettext_lazy("Bản quét (PDF, JPG, PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    digitised = forms.BooleanField(
        label=gettext_lazy("Đã đối chiếu với bản giấy: đánh dấu đã số hóa"), required=False, initial=True
    )

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [(d.key, d.name) for d in dossier.procedure.required_documents.all()]
