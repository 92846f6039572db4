"""The e-form generated from a procedure's form schema.

Its Django fields only parse what the browser sends (text, numbers, dates as YYYY-MM-DD);
every rule of the schema (required, pattern, bounds, enum) is checked by the dossier
services, whose Vietnamese messages the views put back next to each field. That keeps one
set of rules for the API and the pages, and lets "Lưu nháp" keep a half-filled form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

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
