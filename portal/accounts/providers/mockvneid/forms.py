from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.providers.mockvneid.models import IdentityLevel, Resident


class SignInForm(forms.Form):
    resident = forms.ModelChoiceField(
        label=_("Công dân"), queryset=Resident.objects.all(), widget=forms.RadioSelect, empty_label=None
    )
    level = forms.TypedChoiceField(
        label=_("Mức định danh điện tử"),
        choices=IdentityLevel.choices,
        coerce=int,
        initial=IdentityLevel.FULL,
        widget=forms.RadioSelect,
    )
