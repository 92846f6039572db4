"""Web forms for the citizen's dossier pages.

The e-form is generated from the procedure's form schema. Its Django fields only parse what
the browser sends (text, numbers, dates as YYYY-MM-DD); every rule of the schema (required,
pattern, bounds, enum) is checked by the dossier services, whose Vietnamese messages the
views put back next to each field. That keeps one set of rules for the API and the pages,
and lets "Lưu nháp" keep a half-filled form.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dossiers.uploads import SHORT_TYPE_NAMES, SUPPORTED_TYPES, TYPE_LABELS
from procedures.constants import DeliveryMethod

LONG_TEXT = 255  # strings allowed to be longer than this get a text area
CHOOSE = _("— Chọn —")


def _attrs(prop: dict, marked: bool, **extra) -> dict:
    attrs = dict(extra)
    if marked:
        attrs["aria-required"] = "true"
    if "maxLength" in prop:
        attrs["maxlength"] = prop["maxLength"]
    return attrs


def _enum_field(prop: dict, marked: bool, **common) -> forms.Field:
    coerce = {"integer": int, "number": float}.get(prop["type"], str)
    choices = [("", CHOOSE), *((str(value), str(value)) for value in prop["enum"])]
    return forms.TypedChoiceField(
        choices=choices, coerce=coerce, empty_value=None, widget=forms.Select(attrs=_attrs(prop, marked)), **common
    )


class NumberField(forms.FloatField):
    """A JSON number: whole values stay integers, so 2 is not saved as 2.0."""

    def to_python(self, value):
        value = super().to_python(value)
        return int(value) if isinstance(value, float) and value.is_integer() else value


def schema_field(prop: dict, *, marked: bool) -> forms.Field:
    """One Django field for one schema property; never `required` itself (the services decide)."""
    common = {"label": prop["title"], "required": False, "help_text": prop.get("description", "")}
    kind = prop["type"]
    if "enum" in prop and kind != "boolean":
        return _enum_field(prop, marked, **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind == "integer":
        bounds = {key: prop[key] for key in ("minimum", "maximum") if key in prop}
        attrs = _attrs(prop, marked, inputmode="numeric", min=bounds.get("minimum"), max=bounds.get("maximum"))
        return forms.IntegerField(widget=forms.NumberInput(attrs=_without_none(attrs)), **common)
    if kind == "number":
        attrs = _attrs(prop, marked, inputmode="decimal", step="any")
        return NumberField(widget=forms.NumberInput(attrs=attrs), **common)
    if prop.get("format") == "date":
        return forms.CharField(widget=forms.DateInput(attrs=_attrs(prop, marked, type="date")), **common)
    widget = (
        forms.Textarea(attrs=_attrs(prop, marked, rows=4))
        if prop.get("maxLength", 0) > LONG_TEXT
        else forms.TextInput(attrs=_attrs(prop, marked))
    )
    return forms.CharField(widget=widget, strip=True, **common)


def _without_none(attrs: dict) -> dict:
    return {key: value for key, value in attrs.items() if value is not None}


class SchemaForm(forms.Form):
    """A form built from a schema; `answers()` gives the values in the shape the services expect."""

    schema: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = set(self.schema.get("required", []))
        for name, prop in self.schema.get("properties", {}).items():
            self.fields[name] = schema_field(prop, marked=name in required)
            self.fields[name].marked_required = name in required

    def answers(self) -> dict:
        """Cleaned values; a blank required answer is left out so a draft can be saved half-filled."""
        required = set(self.schema.get("required", []))
        result = {}
        for name, value in self.cleaned_data.items():
            blank = value is None or value == ""
            if blank and name in required:
                continue
            result[name] = "" if value is None else value
        return result

    def add_service_errors(self, errors) -> None:
        """Put the services' per-field messages next to the fields; anything else above the form."""
        if not isinstance(errors, dict):
            self.add_error(None, errors)
            return
        for name, messages in errors.items():
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(name if name in self.fields else None, message)


def form_for_schema(schema: dict, data=None, initial=None) -> SchemaForm:
    """A bound (with `data`) or unbound form for a procedure's e-form schema."""
    form_class = type("ProcedureSchemaForm", (SchemaForm,), {"schema": schema})
    return form_class(data=data, initial=initial)


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
