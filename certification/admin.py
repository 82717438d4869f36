"""Django admin for the operator: units, accounts and the criteria dictionary.

Cases are shown read-only: their state changes only through the services.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from certification.models import (
    Application,
    Certificate,
    Club,
    CriteriaVersion,
    Criterion,
    Transition,
    Unit,
    User,
    Voivodeship,
)


@admin.register(Voivodeship)
class VoivodeshipAdmin(admin.ModelAdmin):
    list_display = ["name", "teryt", "slug"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "voivodeship", "city", "updated_at"]
    list_filter = ["kind", "voivodeship"]
    search_fields = ["name", "parent_name", "city", "nip", "regon", "krs"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Unit"), {"fields": ["unit"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Unit"), {"fields": ["unit", "first_name", "last_name", "email"]}),
    ]
    list_display = ["username", "first_name", "last_name", "email", "unit", "is_active"]
    list_filter = ["unit__kind", "is_active", "is_staff"]
    autocomplete_fields = ["unit"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "published_on", "note"]
    inlines = [CriterionInline]


@admin.register(Club)
class ClubAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "voivodeship", "founding_unit"]
    list_filter = ["voivodeship"]
    search_fields = ["name", "city"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["event", "from_state", "to_state", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "club", "state", "certifying_unit", "updated_at"]
    list_filter = ["state", "kind", "certifying_unit"]
    search_fields = ["number", "club__name"]
    inlines = [TransitionInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "club_name", "issued_on", "valid_until"]
    search_fields = ["number", "club_name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
