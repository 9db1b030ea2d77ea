from django.contrib import admin

from .models import SignedResult, SignerProfile


@admin.register(SignerProfile)
class SignerProfileAdmin(admin.ModelAdmin):
    list_display = (
        "display_name",
        "user",
        "position",
        "kind",
        "token_label",
        "key_label",
        "active",
    )
    list_filter = ("kind", "active")
    search_fields = ("display_name", "user__username", "token_label", "key_label")
    raw_id_fields = ("user",)


@admin.register(SignedResult)
class SignedResultAdmin(admin.ModelAdmin):
    list_display = ("dossier", "result_number", "signed_at", "signed_by", "sha256")
    search_fields = ("dossier__code", "result_number", "public_id")
    readonly_fields = [f.name for f in SignedResult._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
