from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipko.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "region", "ormas", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    raw_id_fields = ("region", "ormas")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Peran SIPKO"), {"fields": ("role", "region", "ormas")}),
    )


# Second factors are set up by their owner and reset through the audited `two_factor_reset`
# service (docs/accounts.md); the admin would show anyone's TOTP key and bypass the audit.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
