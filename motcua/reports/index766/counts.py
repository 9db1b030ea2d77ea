"""The counts behind the computed 766 indicators of a period (DOMAIN §7), and the failing items.

Four queries whatever the period and the number of units: received/settled dossiers, indicator 2.1
(its own window), the procedure catalogue, and the feedback (PAKN). Every figure is a COUNT (or a
sum), so counts of several units add up: the monthly rollup stores them per unit and month.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from motcua.dossiers.choices import SETTLED, Channel
from motcua.dossiers.models import Dossier

from . import rules21
from .rules21 import Window

#: The named counts, per source (what the rollup stores).
DOSSIER_COUNTS = (
    "received",
    "synced",
    "online",
    "online_counted",
    "fee_dossiers",
    "paid_online",
    "doc_settled",
    "e_result",
    "digitised",
    "reused",
    "data_store",
    "vneid",
)
COUNTS_21 = ("d21", "late21", "complained", "settled21", "elapsed21")
PROCEDURE_COUNTS = (
    "procedures",
    "complete",
    "online_services",
    "used_online",
    "fee_procs",
    "fee_payable",
)
FEEDBACK_COUNTS = ("pakn", "classified", "pakn_due", "pakn_late", "pakn_bad")
ALL_COUNTS = (*DOSSIER_COUNTS, *COUNTS_21, *PROCEDURE_COUNTS, *FEEDBACK_COUNTS)


# --- conditions ---------------------------------------------------------------------------------
def _received(s: datetime, e: datetime) -> Q:
    return Q(received_at__gte=s, received_at__lt=e)


def _settled(s: datetime, e: datetime) -> Q:
    return Q(finished_at__gte=s, finished_at__lt=e, status__in=list(SETTLED))


def _fee_bearing() -> Q:
    # DOMAIN §7, 3.6: dossiers of fee-bearing procedures (fees not all zero); the dossier's own
    # fee when known, else the catalogue's.
    return Q(fee__gt=0) | Q(fee__isnull=True, procedure__fee__gt=0)


def _paid_online() -> Q:
    # On the national portal or the province's gateway: the dossier's mark (import, sync) or a
    # paid Payment through any provider other than the counter.
    from motcua.payments.models import Payment

    online = Payment.objects.filter(status="paid").exclude(provider="counter")
    return Q(paid_online=True) | Q(pk__in=online.values("dossier_id"))


def _counts_online_result() -> Q:
    # DOMAIN §7, 3.3: an online dossier of a procedure whose result is a paper document counts
    # only with an electronic result.
    return Q(procedure__result_is_document=False) | Q(electronic_result=True)


def _digitised() -> Q:
    # DOMAIN §7, 4.2: components have files AND an electronic result where one is required (a
    # settled dossier of a procedure whose result is a document).
    return Q(digitised=True) & (_counts_online_result() | ~Q(status__in=list(SETTLED)))


def _complained() -> Q:
    # DOMAIN §7, 5.4: a PAKN about the dossier, or a "not satisfied" rating — in motcua, or on
    # the national portal (a "dislike" or a PAKN pulled back by the DVCQG sync, issue 12).
    from motcua.feedback.models import Feedback, Rating
    from motcua.integrations.dvcqg.models import PortalFeedback, PortalRating

    return (
        Q(pk__in=Feedback.objects.filter(dossier__isnull=False).values("dossier_id"))
        | Q(pk__in=Rating.objects.filter(satisfied=False).values("dossier_id"))
        | Q(pk__in=PortalRating.objects.filter(liked=False).values("dossier_id"))
        | Q(pk__in=PortalFeedback.objects.values("dossier_id"))
    )


def dossier_conditions(s: datetime, e: datetime) -> dict[str, Q]:
    recv = _received(s, e)
    doc_settled = _settled(s, e) & Q(procedure__result_is_document=True)
    online = recv & Q(channel=Channel.ONLINE)
    fee = recv & _fee_bearing()
    return {
        "received": recv,
        "synced": recv & Q(synced_at__isnull=False),
        "online": online,
        "online_counted": online & _counts_online_result(),
        "fee_dossiers": fee,
        "paid_online": fee & _paid_online(),
        "doc_settled": doc_settled,
        "e_result": doc_settled & Q(electronic_result=True),
        "digitised": recv & _digitised(),
        "reused": recv & Q(reused_data=True),
        "data_store": recv & Q(from_data_store=True),
        "vneid": recv & Q(vneid_verified=True),
    }


def _complete_procedure() -> Q:
    # DOMAIN §7, 1.3: published with all components. motcua's catalogue has the name, the agency
    # (unit), the legal basis, the time limit, the required documents and the internal steps.
    from motcua.procedures.models import ProcedureStep, RequiredDocument

    return (
        ~Q(legal_basis="")
        & Q(time_value__gt=0)
        & Q(pk__in=RequiredDocument.objects.values("procedure_id"))
        & Q(pk__in=ProcedureStep.objects.values("procedure_id"))
    )


def _online_service() -> Q:
    return Q(online_level__in=["partial", "full"])


def procedure_conditions(s: datetime, e: datetime, unit_ids) -> dict[str, Q]:
    # Any unit's online dossier of the procedure counts (a procedure's dossiers are its competent
    # unit's), so the counts of several units add up.
    used = Dossier.objects.filter(_received(s, e), channel=Channel.ONLINE)
    online = _online_service()
    fee = Q(fee__gt=0)
    return {
        "procedures": Q(),
        "complete": _complete_procedure(),
        "online_services": online,
        "used_online": online & Q(pk__in=used.values("procedure_id")),
        "fee_procs": fee,
        "fee_payable": fee & Q(payable_online=True),
    }


def _repeated():
    from motcua.feedback.models import Feedback

    # DOMAIN §7, 5.3: a repeated complaint — the same sender (phone) already sent one about the
    # same dossier.
    return Exists(
        Feedback.objects.filter(
            sender_phone=OuterRef("sender_phone"),
            dossier_id=OuterRef("dossier_id"),
            dossier__isnull=False,
            received_at__lt=OuterRef("received_at"),
        )
    )


def _pakn_late(e: datetime) -> Q:
    """DOMAIN §7, 5.2: late as seen at the period's end `e`. Each step taken before `e` must meet
    its limit (rejected ≤ reject days, more information requested ≤ info days, answered ≤ answer
    days, all of reception; published ≤ publish days after the answer). The deadlines are stored
    when each step's clock starts (feedback/services.py), so only timestamps are compared. A PAKN
    still open at `e` is late once its answer deadline has passed; an answer not yet published
    once its publish deadline has passed."""

    def done(field: str) -> Q:
        return Q(**{f"{field}__lt": e})

    def not_done(field: str) -> Q:
        return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": e})

    return (
        (done("rejected_at") & Q(rejected_at__gt=F("reject_due_at")))
        | (done("info_requested_at") & Q(info_requested_at__gt=F("info_due_at")))
        | (done("answered_at") & Q(answered_at__gt=F("due_at")))
        | (done("published_at") & Q(published_at__gt=F("publish_due_at")))
        | (not_done("rejected_at") & not_done("answered_at") & Q(due_at__lt=e))
        | (done("answered_at") & not_done("published_at") & Q(publish_due_at__lt=e))
    )


def feedback_conditions(s: datetime, e: datetime) -> dict[str, Q]:
    # DOMAIN §7, 5.2: the denominator is the PAKN received in the period that were closed
    # (rejected or answered) before its end, or are late by then.
    pakn = _received(s, e)
    late = _pakn_late(e)
    due = pakn & (Q(rejected_at__lt=e) | Q(answered_at__lt=e) | late)
    return {
        "pakn": pakn,
        "classified": pakn & ~Q(topic=""),
        "pakn_due": due,
        "pakn_late": pakn & late,
        "pakn_bad": pakn & (Q(sender_verdict="not_satisfied") | late | Q(_repeated())),
    }


# --- querysets ----------------------------------------------------------------------------------
def dossiers(unit_ids) -> QuerySet:
    qs = Dossier.objects.order_by()
    return qs if unit_ids is None else qs.filter(unit_id__in=list(unit_ids))


def procedures(unit_ids) -> QuerySet:
    from motcua.procedures.models import Procedure

    qs = Procedure.objects.order_by().filter(active=True)
    return qs if unit_ids is None else qs.filter(unit_id__in=list(unit_ids))


def feedback(unit_ids) -> QuerySet:
    from motcua.feedback.models import Feedback

    qs = Feedback.objects.order_by()
    return qs if unit_ids is None else qs.filter(unit_id__in=list(unit_ids))


def _aggregate(qs, aggregates: dict, by_unit: bool) -> dict:
    """{unit id or None: {name: value}}."""
    if by_unit:
        rows = qs.values("unit_id").annotate(**aggregates).order_by()
        return {r.pop("unit_id"): {k: v or 0 for k, v in r.items()} for r in rows}
    return {None: {k: v or 0 for k, v in qs.aggregate(**aggregates).items()}}


def period_counts(
    date_from: date,
    date_to: date,
    unit_ids=None,
    *,
    by_unit: bool = False,
    now: datetime | None = None,
) -> dict:
    """{unit id (None for all): {count name: int}} of the period — four queries."""
    window = Window.of(date_from, date_to, now)
    s, e = window.start, window.end
    out: dict = {}

    def merge(found: dict) -> None:
        for uid, values in found.items():
            out.setdefault(uid, dict.fromkeys(ALL_COUNTS, 0)).update(values)

    conds = dossier_conditions(s, e)
    overall = _received(s, e) | _settled(s, e)
    merge(
        _aggregate(
            dossiers(unit_ids).filter(overall),
            {k: Count("pk", filter=q) for k, q in conds.items()},
            by_unit,
        )
    )
    qs21 = (
        dossiers(unit_ids)
        .filter(received_at__isnull=False, received_at__lt=e)
        .annotate(**rules21.annotations(window))
        .filter(rules21.in_scope(window))
    )
    settled_here = Q(finished_at__gte=s, finished_at__lt=e)
    merge(
        _aggregate(
            qs21,
            {
                "d21": Count("pk"),
                "late21": Count("pk", filter=rules21.late_q()),
                "complained": Count("pk", filter=_complained()),
                "settled21": Count("pk", filter=settled_here),
                "elapsed21": Sum("elapsed_s", filter=settled_here),
            },
            by_unit,
        )
    )
    pconds = procedure_conditions(s, e, unit_ids)
    merge(
        _aggregate(
            procedures(unit_ids), {k: Count("pk", filter=q) for k, q in pconds.items()}, by_unit
        )
    )
    fconds = feedback_conditions(s, e)
    merge(
        _aggregate(
            feedback(unit_ids).filter(_received(s, e)),
            {k: Count("pk", filter=q) for k, q in fconds.items()},
            by_unit,
        )
    )
    if not by_unit:
        out.setdefault(None, dict.fromkeys(ALL_COUNTS, 0))
    for values in out.values():
        values["elapsed21"] = int(values["elapsed21"] or 0)
    return out


# --- the items that cost points (drill-down) ----------------------------------------------------
def failing_queryset(
    indicator_id: str, date_from: date, date_to: date, unit_ids=None, now: datetime | None = None
) -> tuple[QuerySet, str]:
    """(queryset, subject) of the dossiers / procedures / feedback that cost `indicator_id` points."""
    window = Window.of(date_from, date_to, now)
    s, e = window.start, window.end
    d = dossier_conditions(s, e)
    p = procedure_conditions(s, e, unit_ids)
    f = feedback_conditions(s, e)
    dossier_rules = {
        "1.4": d["received"] & ~d["synced"],
        "3.3": d["received"] & ~d["online_counted"],
        "3.6": d["fee_dossiers"] & ~d["paid_online"],
        "4.1": d["doc_settled"] & ~d["e_result"],
        "4.2": d["received"] & ~d["digitised"],
        "4.3": d["received"] & ~d["reused"],
        "4.4": d["received"] & ~d["data_store"],
        "4.5": d["received"] & ~d["vneid"],
    }
    procedure_rules = {
        "1.3": ~p["complete"],
        "3.1": ~p["online_services"],
        "3.2": p["online_services"] & ~p["used_online"],
        "3.5": p["fee_procs"] & ~p["fee_payable"],
    }
    feedback_rules = {
        "5.1": f["classified"],
        "5.2": f["pakn_late"],
        "5.3": f["pakn_bad"],
    }
    if indicator_id in dossier_rules:
        return dossiers(unit_ids).filter(dossier_rules[indicator_id]), "dossier"
    if indicator_id in ("2.1", "5.4"):
        qs = (
            dossiers(unit_ids)
            .filter(received_at__isnull=False, received_at__lt=e)
            .annotate(**rules21.annotations(window))
            .filter(rules21.in_scope(window))
        )
        cond = rules21.late_q() if indicator_id == "2.1" else rules21.late_q() | _complained()
        return Dossier.objects.filter(pk__in=qs.filter(cond).values("pk")), "dossier"
    if indicator_id in procedure_rules:
        return procedures(unit_ids).filter(procedure_rules[indicator_id]), "procedure"
    if indicator_id in feedback_rules:
        qs = feedback(unit_ids).filter(f["pakn"])
        if indicator_id == "5.1":
            return qs.exclude(f["classified"]), "feedback"
        return qs.filter(feedback_rules[indicator_id]), "feedback"
    raise KeyError(indicator_id)
