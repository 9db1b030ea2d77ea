"""Admin: transactions are read-only (writes go through the services, nothing is deleted); API keys
are created here (the key is shown once) and revoked by setting "revoked at"."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin

from .models import ApiToken, Transaction
from .tokens import hash_key, token_create


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("contract_no", "office", "contract_date", "kind", "source")
    list_filter = ("kind", "source")
    search_fields = ("contract_no",)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Keys are created (token_create audits it) and revoked here; a revocation is audited."""

    list_display = ("office", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("office", "name", "revoked_at")

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit trail names the key

    def get_readonly_fields(self, request, obj=None):
        return ("office", "name") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = token_create(actor=request.user, office=obj.office, name=obj.name)
        obj.pk, obj.prefix, obj.key_sha256 = token.pk, token.prefix, hash_key(key)
        obj._state.adding = False
        messages.warning(
            request,
            _("The key, shown only now (store it in the organisation's software): %(key)s")
            % {"key": key},
        )
