from django.contrib import admin

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin

from .models import SignedDocument, SignedResult, SignerProfile


@admin.register(SignerProfile)
class SignerProfileAdmin(AuditedAdmin):
    """Who signs with which key: every change is audited (a key label decides who signs)."""

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
class SignedResultAdmin(ReadOnlyAdmin):
    """Written by approve-and-sign only; never edited or deleted by hand."""

    list_display = ("dossier", "result_number", "signed_at", "signed_by", "sha256")
    search_fields = ("dossier__code", "result_number", "public_id")


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    """Written by the "sign and download" actions only; never edited or deleted by hand."""

    list_display = ("kind", "reference", "signed_at", "signed_by", "sha256")
    list_filter = ("kind",)
    search_fields = ("reference", "public_id", "sha256")
