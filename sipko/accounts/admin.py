from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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
