from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin

from .clients import ClientError, apiclient_create, apiclient_rotate_secret, clean_scopes
from .models import ApiClient, Handover


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdmin):
    """Administrators create clients here; the secret is shown once, then only its hash is kept."""

    list_display = ["name", "client_id", "unit", "scopes", "active", "created_at"]
    list_filter = ["active", "unit"]
    search_fields = ["name", "client_id"]
    fields = ["name", "unit", "scopes", "active", "client_id", "created_by", "created_at"]
    readonly_fields = ["client_id", "created_by", "created_at"]
    actions = ["rotate_secret"]

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: events and audit entries name the client's service account.
        return False

    def save_model(self, request, obj, form, change):
        try:
            obj.scopes = clean_scopes(obj.scopes)
        except ClientError as exc:
            messages.error(request, str(exc))
            raise
        if change:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            created = apiclient_create(
                actor=request.user, name=obj.name, unit=obj.unit, scopes=obj.scopes
            )
            if not obj.active:
                ApiClient.objects.filter(pk=created.client.pk).update(active=False)
        new = created.client
        obj.pk, obj.client_id, obj.secret_hash = new.pk, new.client_id, new.secret_hash
        obj.user, obj.created_by, obj.created_at = new.user, new.created_by, new.created_at
        obj._state.adding, obj._state.db = False, new._state.db
        messages.warning(
            request,
            _(
                "Client id: %(id)s — secret: %(secret)s — copy the secret now, it is not shown again."
            )
            % {"id": new.client_id, "secret": created.secret},
        )

    @admin.action(description=gettext_lazy("Issue a new secret (revokes the old one and tokens)"))
    def rotate_secret(self, request, queryset):
        for client in queryset:
            secret = apiclient_rotate_secret(actor=request.user, client=client)
            messages.warning(
                request,
                _(
                    "Client id: %(id)s — secret: %(secret)s — copy the secret now, it is not shown again."
                )
                % {"id": client.client_id, "secret": secret},
            )


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "client", "created_at"]
    list_filter = ["client"]
    search_fields = ["dossier__code"]
