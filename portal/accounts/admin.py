from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import PhoneOTP, StaffRole, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("phone", "full_name", "kind")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [StaffRoleInline]
    list_display = ["phone", "full_name", "kind", "national_id", "tax_code", "phone_verified_at", "is_active"]
    list_filter = ["kind", "is_active", "is_staff", "staff_roles__role"]
    search_fields = ["phone", "full_name", "national_id", "tax_code", "email"]
    ordering = ["-date_joined"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["phone", "password"]}),
        (
            _("Thông tin"),
            {
                "fields": [
                    "kind",
                    "full_name",
                    "national_id",
                    "tax_code",
                    "email",
                    "phone_verified_at",
                    "postal_address",
                ]
            },
        ),
        (_("Định danh điện tử"), {"fields": ["identity_level", "identity_verified_at"]}),
        (_("Thông báo"), {"fields": ["notice_channels", "notice_language"]}),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["phone", "full_name", "kind", "usable_password", "password1", "password2"],
            },
        ),
    ]


@admin.register(PhoneOTP)
class PhoneOTPAdmin(admin.ModelAdmin):
    """Read-only: codes are stored only as hashes, and attempts must not be reset by hand."""

    list_display = ["phone", "created_at", "expires_at", "failed_attempts", "used_at"]
    search_fields = ["phone"]
    list_select_related = ["user"]
    readonly_fields = ["user", "phone", "code_hash", "created_at", "expires_at", "failed_attempts", "used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
