"""Withdraw an asset or an owner entered by mistake, before the request is approved.

Nothing is deleted: the row is flagged (`withdrawn_at`, `withdrawn_by`, `withdrawn_reason`), its search
rows are rebuilt in the same transaction, and from then on it is left out of the notaries' search, the
look-up certificate, the national-database export, the published record and the approval check; the
registry's staff still see it, struck through with the reason. One audit event per call, with the
state before and after.

Who and when: exactly as for a correction (`services.require_correctable`): an officer (specialist or
leader) of the request's unit, while the request awaits approval. After approval the record is what
the second officer confirmed; only a later document from the authority (a release order) changes it.

What an order needs (DOMAIN §11, `services.check_asset`): at least one asset, and every asset at
least one owner. So the last active asset of a request and the last active owner of an asset cannot
be withdrawn: correct them instead.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record

from .errors import BlockingError
from .models import Asset, BlockingRequest, Owner
from .services import _lock, next_seq, rebuild_keys, require_correctable

MAX_REASON = 1000
AUDIT_ACTIONS = ("blocking.withdraw_asset", "blocking.withdraw_owner")


def _refusal_after_approval() -> str:
    return _(
        "Only while a request awaits approval can an asset or owner be withdrawn; after approval "
        "only a document from the authority (a release order) changes it."
    )


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BlockingError(_("Give the reason for the withdrawal."))
    if len(reason) > MAX_REASON:
        raise BlockingError(
            _("The reason is too long (at most %(n)d characters).") % {"n": MAX_REASON}
        )
    return reason


def _state(row) -> dict:
    """The withdrawal fields of an asset or owner, JSON-friendly, for the audit trail."""
    return {
        "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        "withdrawn_by": row.withdrawn_by.get_username() if row.withdrawn_by_id else None,
        "withdrawn_reason": row.withdrawn_reason,
    }


def _mark(row, *, actor, reason: str, now: datetime) -> dict:
    """Flag `row` withdrawn; returns its state before."""
    before = _state(row)
    row.withdrawn_at = now
    row.withdrawn_by = actor
    row.withdrawn_reason = reason
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    return before


def _touch(request: BlockingRequest) -> None:
    """Bump the export counter and rebuild the search rows (caller holds the request's lock)."""
    request.updated_seq = next_seq()
    request.save(update_fields=["updated_seq"])
    rebuild_keys(request)


def withdraw_asset(*, actor, asset_id: int, reason: str, at: datetime | None = None) -> Asset:
    """Withdraw an asset entered by mistake (with its owners) from a request awaiting approval."""
    now = at or timezone.now()
    with transaction.atomic():
        request_id = Asset.objects.filter(pk=asset_id).values_list("request_id", flat=True).first()
        if request_id is None:
            raise BlockingError(_("No such asset."))
        # The request's lock serialises withdrawals, corrections and the approval of one request.
        request = _lock(request_id)
        require_correctable(actor, request, _refusal_after_approval())
        reason = _clean_reason(reason)
        asset = Asset.objects.select_related("withdrawn_by").get(pk=asset_id)
        if asset.is_withdrawn:
            raise BlockingError(
                _("Asset %(n)d has already been withdrawn.") % {"n": asset.position}
            )
        if not request.assets.active().exclude(pk=asset.pk).exists():
            raise BlockingError(
                _(
                    "Asset %(n)d is the only asset of the request left: a blocking request "
                    "names at least one asset. Correct it instead of withdrawing it."
                )
                % {"n": asset.position}
            )
        before = _mark(asset, actor=actor, reason=reason, now=now)
        _touch(request)
        audit_record(
            actor=actor,
            action="blocking.withdraw_asset",
            obj=request,
            from_state=request.status,
            to_state=request.status,
            note=f"{request.request_no} – #{asset.position}: {reason}",
            data={
                "asset": {"id": asset.pk, "position": asset.position, "label": asset.label()},
                "before": before,
                "after": _state(asset),
            },
        )
    return asset


def withdraw_owner(*, actor, owner_id: int, reason: str, at: datetime | None = None) -> Owner:
    """Withdraw an owner entered by mistake from an asset of a request awaiting approval."""
    now = at or timezone.now()
    with transaction.atomic():
        request_id = (
            Owner.objects.filter(pk=owner_id).values_list("asset__request_id", flat=True).first()
        )
        if request_id is None:
            raise BlockingError(_("No such owner."))
        request = _lock(request_id)
        require_correctable(actor, request, _refusal_after_approval())
        reason = _clean_reason(reason)
        owner = Owner.objects.select_related("asset", "withdrawn_by").get(pk=owner_id)
        asset = owner.asset
        if asset.is_withdrawn:
            raise BlockingError(
                _("Asset %(n)d has already been withdrawn, with its owners.")
                % {"n": asset.position}
            )
        if owner.is_withdrawn:
            raise BlockingError(
                _("%(name)s has already been withdrawn from asset %(n)d.")
                % {"name": owner.name, "n": asset.position}
            )
        if not asset.owners.active().exclude(pk=owner.pk).exists():
            raise BlockingError(
                _(
                    "%(name)s is the only owner of asset %(n)d left: every asset names at "
                    "least one owner. Correct the name instead of withdrawing it."
                )
                % {"name": owner.name, "n": asset.position}
            )
        before = _mark(owner, actor=actor, reason=reason, now=now)
        _touch(request)
        # Owners by name only in the audit trail (as for a correction): no ID number.
        audit_record(
            actor=actor,
            action="blocking.withdraw_owner",
            obj=request,
            from_state=request.status,
            to_state=request.status,
            note=f"{request.request_no} – #{asset.position}, {owner.name}: {reason}",
            data={
                "owner": {"id": owner.pk, "name": owner.name, "position": owner.position},
                "asset": {"id": asset.pk, "position": asset.position},
                "before": before,
                "after": _state(owner),
            },
        )
    return owner
