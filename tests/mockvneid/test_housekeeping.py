from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from oauth2_provider.models import get_application_model

from portal.accounts.providers.mockvneid.housekeeping import SIGN_IN_KEPT_FOR, sign_ins_clear
from portal.accounts.providers.mockvneid.models import Grant, IdentityLevel, Resident, SignIn

pytestmark = pytest.mark.django_db


def _grant(sign_in, *, expires):
    return Grant.objects.create(
        user=sign_in,
        application=get_application_model().objects.get(),
        code=f"code-{sign_in.pk}",
        expires=expires,
        redirect_uri="http://testserver/accounts/vneid/callback/",
        scope="openid",
    )


def test_expired_grants_and_old_sign_ins_go_live_ones_stay():
    resident = Resident.objects.first()
    old = SignIn.objects.create(resident=resident, level=IdentityLevel.FULL)
    kept_by_grant = SignIn.objects.create(resident=resident, level=IdentityLevel.FULL)
    later = timezone.now() + SIGN_IN_KEPT_FOR + timedelta(minutes=1)
    _grant(old, expires=timezone.now() + timedelta(minutes=1))
    _grant(kept_by_grant, expires=later + timedelta(minutes=5))
    with time_machine.travel(later):
        recent = SignIn.objects.create(resident=resident, level=IdentityLevel.BASIC)
        assert sign_ins_clear() == 1
    assert set(SignIn.objects.all()) == {kept_by_grant, recent}
    assert list(Grant.objects.values_list("user", flat=True)) == [kept_by_grant.pk]
