"""Writes on payments; the dossier moves on only through its state machine (pay_online)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.dossiers import marks
from motcua.dossiers.choices import Status
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_transition
from motcua.dossiers.workflow import Action

from .models import Payment, PaymentStatus
from .providers import BUILT_IN, get_provider

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser


class PaymentError(DossierError):
    """A refused payment operation; nothing was changed."""


@transaction.atomic
def payment_start(*, actor: AnyUser, dossier_id: int, provider: str) -> Payment:
    """The applicant chooses how to pay a dossier waiting for its fee."""
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier_id)
    if not actor.is_authenticated or dossier.applicant_user_id != actor.pk:
        raise PaymentError(_("You are not allowed to pay for this dossier."))
    if dossier.status != Status.WAITING_PAYMENT:
        raise PaymentError(_("This dossier is not waiting for a fee payment."))
    chosen = get_provider(provider)
    if chosen is None:
        raise PaymentError(_("Choose one of the payment methods offered."))
    payment = Payment.objects.filter(
        dossier=dossier, provider=provider, status=PaymentStatus.PENDING
    ).first()
    if payment is None:
        payment = Payment.objects.create(
            dossier=dossier,
            provider=provider,
            amount=dossier.procedure.fee,
            status=PaymentStatus.PENDING,
            reference=secrets.token_hex(12),
            created_by=actor,
        )
    audit_record(
        actor=actor,
        action="payment.start",
        obj=dossier,
        data={"provider": provider, "reference": payment.reference, "amount": str(payment.amount)},
    )
    return payment


@transaction.atomic
def payment_confirm(*, reference: str, provider_reference: str = "") -> Payment:
    """The provider confirmed the payment: mark it paid and move the dossier on (idempotent)."""
    payment = Payment.objects.select_for_update().filter(reference=reference).first()
    if payment is None:
        raise PaymentError(_("Unknown payment."))
    if payment.status == PaymentStatus.PAID:
        return payment
    if payment.status != PaymentStatus.PENDING:
        raise PaymentError(_("This payment was cancelled."))
    payment.status = PaymentStatus.PAID
    payment.paid_at = timezone.now()
    payment.provider_reference = provider_reference[:100]
    payment.save(update_fields=["status", "paid_at", "provider_reference"])
    dossier = dossier_transition(
        actor=payment.created_by,
        dossier_id=payment.dossier_id,
        action=Action.PAY_ONLINE,
        note=_("Paid %(amount)s VND (%(provider)s, reference %(reference)s).")
        % {"amount": payment.amount, "provider": payment.provider, "reference": reference},
    )
    # DOMAIN §7, 3.6: a fee paid through an online provider (the public payment gateway, or the
    # simulated one in demos) counts as paid online; the fee charged is what was paid.
    provider = BUILT_IN.get(payment.provider)
    online = provider is not None and provider.online
    marked = marks.paid_online(dossier, amount=payment.amount) if online else {}
    audit_record(
        actor=payment.created_by,
        action="payment.confirm",
        obj=dossier,
        data={"reference": reference, "amount": str(payment.amount), "marks": _plain(marked)},
    )
    return payment


def _plain(changes: dict) -> dict:
    """JSON-friendly values for the audit event (the fee is a Decimal)."""
    return {k: str(v) if not isinstance(v, bool | None) else v for k, v in changes.items()}


@transaction.atomic
def payment_cancel(*, actor: AnyUser, reference: str) -> Payment:
    """The applicant abandons a pending payment."""
    payment = Payment.objects.select_for_update().filter(reference=reference).first()
    if payment is None or payment.created_by_id != actor.pk:
        raise PaymentError(_("Unknown payment."))
    if payment.status == PaymentStatus.PENDING:
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status"])
        audit_record(
            actor=actor, action="payment.cancel", obj=payment.dossier, data={"reference": reference}
        )
    return payment
