"""What the gateway says, applied to payments: verified, checked, idempotent, recorded.

Every message (browser return, IPN, status answer) is checked the same way: signature (constant
time), merchant, a payment of ours with this reference, the amount; then
- paid for a pending payment → `payment_confirm` (the dossier moves on; paid online, fee set);
- paid again (duplicate, or the IPN arriving after the status query already settled it) → nothing;
- paid for a payment we had cancelled (a late notification: the money was taken) → revived and
  confirmed while the dossier still waits for its fee, else recorded as `needs_refund` for staff;
- failed / cancelled for a pending payment → cancelled; for a paid one → ignored (stale).
Each message is stored as a GatewayMessage with its outcome, and audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.dossiers.choices import Status
from motcua.dossiers.errors import DossierError

from ..models import GatewayMessage, Payment, PaymentStatus
from ..services import payment_confirm
from . import protocol

PROVIDER = "paygov"
#: Outcomes after which the gateway should stop re-sending (the message was understood).
SETTLED_OUTCOMES = frozenset(
    {"paid", "late_paid", "duplicate", "cancelled", "pending", "ignored", "needs_refund"}
)


@dataclass(frozen=True)
class Outcome:
    outcome: str
    payment: Payment | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome in SETTLED_OUTCOMES


def _record(
    kind: str, fields: Mapping[str, str], outcome: str, payment: Payment | None, ok: bool
) -> Outcome:
    clean = {k: str(v)[:500] for k, v in list(fields.items())[:30]}
    GatewayMessage.objects.create(
        payment=payment,
        provider=PROVIDER,
        kind=kind,
        reference=clean.get("reference", "")[:100],
        transaction_id=clean.get("transaction_id", "")[:100],
        status=clean.get("status", "")[:20],
        amount=clean.get("amount", "")[:30],
        signature_ok=ok,
        outcome=outcome,
        fields=clean,
    )
    audit_record(
        actor=None,
        action=f"payment.gateway_{kind}",
        obj=payment.dossier if payment else None,
        note=outcome,
        data={
            "reference": clean.get("reference", ""),
            "transaction_id": clean.get("transaction_id", ""),
            "status": clean.get("status", ""),
            "outcome": outcome,
        },
    )
    return Outcome(outcome, payment)


def _same_amount(given: str, expected: Decimal) -> bool:
    try:
        return Decimal(given) == expected
    except (InvalidOperation, ValueError):
        return False


def _paid(payment: Payment, transaction_id: str) -> str:
    """Apply "paid" to a locked payment; the outcome's name."""
    if payment.status == PaymentStatus.PAID:
        return "duplicate"
    revived = payment.status == PaymentStatus.CANCELLED
    if revived:
        other_paid = Payment.objects.filter(
            dossier_id=payment.dossier_id, status=PaymentStatus.PAID
        ).exists()
        if other_paid or payment.dossier.status != Status.WAITING_PAYMENT:
            return "needs_refund"
        payment.status = PaymentStatus.PENDING
        payment.save(update_fields=["status"])
    try:
        with transaction.atomic():
            payment_confirm(reference=payment.reference, provider_reference=transaction_id)
    except DossierError:
        # The dossier no longer waits for its fee (withdrawn, stopped, paid at the counter).
        if revived:
            payment.status = PaymentStatus.CANCELLED
            payment.save(update_fields=["status"])
        return "needs_refund"
    return "late_paid" if revived else "paid"


@transaction.atomic
def paygov_apply(*, fields: Mapping[str, str], kind: str) -> Outcome:
    """Check one gateway message and apply it to its payment (see the module's docstring)."""
    cfg = protocol.config()
    if cfg is None or not protocol.verify(fields, cfg.secret):
        return _record(kind, fields, "bad_signature", None, False)
    if fields.get("merchant") != cfg.merchant:
        return _record(kind, fields, "bad_merchant", None, True)
    payment = (
        Payment.objects.select_for_update()
        .select_related("dossier")
        .filter(reference=fields.get("reference", ""), provider=PROVIDER)
        .first()
    )
    if payment is None:
        return _record(kind, fields, "unknown_payment", None, True)
    status = fields.get("status", "")
    if status in (protocol.PENDING, protocol.UNKNOWN):
        return _record(kind, fields, "pending", payment, True)
    if not _same_amount(fields.get("amount", ""), payment.amount):
        return _record(kind, fields, "wrong_amount", payment, True)
    if status == protocol.PAID:
        outcome = _paid(payment, fields.get("transaction_id", ""))
    elif (
        status in (protocol.FAILED, protocol.CANCELLED) and payment.status == PaymentStatus.PENDING
    ):
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status"])
        outcome = "cancelled"
    else:
        outcome = "ignored"
    return _record(kind, fields, outcome, payment, True)


@dataclass
class ReconcileReport:
    checked: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"checked": self.checked, "outcomes": self.outcomes, "errors": self.errors}


def paygov_reconcile(*, older_than_minutes: int | None = None) -> ReconcileReport:
    """Ask the gateway about every pending payment older than the threshold and apply the answer.

    A notification that never came (gateway or network down) is thus made good; the IPN that
    arrives afterwards is a duplicate and changes nothing.
    """
    report = ReconcileReport()
    cfg = protocol.config()
    if cfg is None:
        report.errors.append("MOTCUA_PAYGOV_URL, _MERCHANT and _SECRET must be set")
        return report
    minutes = (
        older_than_minutes
        if older_than_minutes is not None
        else int(getattr(settings, "MOTCUA_PAYGOV_RECONCILE_AFTER", 15))
    )
    cutoff = timezone.now() - timedelta(minutes=minutes)
    references = list(
        Payment.objects.filter(
            provider=PROVIDER, status=PaymentStatus.PENDING, created_at__lte=cutoff
        )
        .order_by("created_at")
        .values_list("reference", flat=True)
    )
    for reference in references:
        report.checked += 1
        try:
            answer = protocol.query(cfg, reference)
        except protocol.GatewayError as exc:
            report.errors.append(f"{reference}: {exc}")
            continue
        outcome = paygov_apply(fields=answer, kind=GatewayMessage.Kind.QUERY)
        report.outcomes[outcome.outcome] = report.outcomes.get(outcome.outcome, 0) + 1
    return report
