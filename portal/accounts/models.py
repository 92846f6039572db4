from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.constants import (
    AGENCY_ROLES,
    NOTICE_DEFAULT_LANGUAGE,
    NOTICE_LANGUAGES,
    AccountKind,
    NoticeChannels,
    OtpPurpose,
    Role,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra):
        if not phone:
            raise ValueError("phone is required")
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", AccountKind.OFFICIAL)
        extra.setdefault("phone_verified_at", timezone.now())
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person or organisation account; officials are users with StaffRole rows."""

    kind = models.CharField(
        _("loại tài khoản"), max_length=16, choices=AccountKind.choices, default=AccountKind.CITIZEN
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("số điện thoại"), max_length=10, unique=True)
    national_id = models.CharField(_("số CCCD"), max_length=12, unique=True, null=True, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=13, unique=True, null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone_verified_at = models.DateTimeField(_("xác thực số điện thoại lúc"), null=True, blank=True)
    # Set when the person signed in through the national electronic identity (VNeID), with the level used.
    identity_verified_at = models.DateTimeField(_("định danh điện tử lúc"), null=True, blank=True)
    identity_level = models.PositiveSmallIntegerField(_("mức định danh điện tử"), default=0)
    # Where results are sent by post unless the person types another address: province, district, commune, street.
    postal_address = models.JSONField(_("địa chỉ nhận kết quả qua bưu chính"), default=dict, blank=True)
    notice_channels = models.CharField(
        _("nhận thông báo qua"), max_length=8, choices=NoticeChannels.choices, default=NoticeChannels.SMS
    )
    notice_language = models.CharField(
        _("ngôn ngữ thông báo"), max_length=8, choices=NOTICE_LANGUAGES, default=NOTICE_DEFAULT_LANGUAGE
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return f"{self.full_name} ({self.phone})"

    @property
    def is_phone_verified(self) -> bool:
        return self.phone_verified_at is not None

    @property
    def is_identity_verified(self) -> bool:
        return self.identity_verified_at is not None


class StaffRole(models.Model):
    """A role an official holds, at one agency for counter roles, globally for trainer/admin."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    agency = models.ForeignKey(
        "procedures.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="staff_roles"
    )

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="staffrole_unique_user_role_agency"),
            models.CheckConstraint(
                condition=Q(role__in=sorted(AGENCY_ROLES), agency__isnull=False)
                | (~Q(role__in=sorted(AGENCY_ROLES)) & Q(agency__isnull=True)),
                name="staffrole_agency_iff_counter_role",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} @ {self.agency_id or '-'}"


class PhoneOTP(models.Model):
    """One code sent to a phone; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_otps")
    phone = models.CharField(max_length=10, db_index=True)
    # What the code proves: the same limits apply to every purpose, counted per phone.
    purpose = models.CharField(max_length=16, choices=OtpPurpose.choices, default=OtpPurpose.VERIFY_PHONE)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã OTP")
        verbose_name_plural = _("mã OTP")
        indexes = [models.Index(fields=["phone", "-created_at"], name="phoneotp_phone_created")]

    def __str__(self):
        return f"OTP {self.phone} @ {self.created_at:%Y-%m-%d %H:%M}"
