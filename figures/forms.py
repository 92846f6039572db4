"""The dashboard's filter: period, agency (within what the caller may see) and the level to rank.

Its fields carry the API's query parameter names (`from`, `to`, `agency`), so a dashboard address and
an API call ask the same thing; figures.scope.figures_query_parse reads both."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.constants import GovLevel


class DashboardFilterForm(forms.Form):
    agency = forms.ChoiceField(label=_("Cơ quan"), required=False)
    rank_level = forms.ChoiceField(label=_("Xếp hạng các cơ quan cấp"), required=False)

    def __init__(self, *args, agencies, levels, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the period's fields are added by name.
        self.fields["from"] = forms.DateField(
            label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.order_fields(["from", "to", "agency", "rank_level"])
        self.fields["agency"].choices = [("", _("Tất cả cơ quan được xem"))] + [
            (agency.code, agency.name) for agency in agencies
        ]
        self.fields["rank_level"].choices = [(level, GovLevel(level).label) for level in levels]

    def show_errors(self, exc) -> None:
        """Put a query error (figures_query_parse names the parameter) on its field."""
        self.errors.setdefault(exc.field if exc.field in self.fields else "__all__", self.error_class()).append(
            exc.message
        )
