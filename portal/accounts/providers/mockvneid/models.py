"""The simulated population register and the provider's own sign-ins and tokens.

django-oauth-toolkit ties grants and tokens to a "user"; here that is a SignIn (a resident, at the identity
level chosen, at a moment), never a portal account: the provider and the portal share a database only because
both run in this project.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractAccessToken, AbstractGrant, AbstractIDToken, AbstractRefreshToken


class IdentityLevel(models.IntegerChoices):
    BASIC = 1, _("Mức 1 (tự đăng ký trên ứng dụng)")
    FULL = 2, _("Mức 2 (xác thực trực tiếp tại cơ quan Công an)")


class Resident(models.Model):
    """A person in the simulated national population database."""

    sub = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    birthdate = models.DateField(_("ngày sinh"))
    phone = models.CharField(_("số điện thoại"), max_length=10)

    class Meta:
        ordering = ["full_name", "national_id"]
        verbose_name = _("công dân (VNeID mô phỏng)")
        verbose_name_plural = _("công dân (VNeID mô phỏng)")

    def __str__(self):
        return f"{self.full_name} ({self.national_id})"


class SignIn(models.Model):
    """One sign-in of a resident at the provider, at the identity level they chose."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="sign_ins")
    level = models.PositiveSmallIntegerField(choices=IdentityLevel.choices)
    created_at = models.DateTimeField(default=timezone.now)

    # What django-oauth-toolkit asks of its "user".
    is_authenticated = True
    is_anonymous = False
    is_active = True

    class Meta:
        verbose_name = _("lượt đăng nhập VNeID mô phỏng")
        verbose_name_plural = _("lượt đăng nhập VNeID mô phỏng")

    def __str__(self):
        return f"{self.resident} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def last_login(self):
        return self.created_at  # the ID token's auth_time


class Grant(AbstractGrant):
    user = models.ForeignKey(SignIn, on_delete=models.CASCADE, related_name="grants")


class AccessToken(AbstractAccessToken):
    user = models.ForeignKey(SignIn, on_delete=models.CASCADE, null=True, blank=True, related_name="access_tokens")


class RefreshToken(AbstractRefreshToken):
    user = models.ForeignKey(SignIn, on_delete=models.CASCADE, related_name="refresh_tokens")


class IDToken(AbstractIDToken):
    user = models.ForeignKey(SignIn, on_delete=models.CASCADE, null=True, blank=True, related_name="id_tokens")
