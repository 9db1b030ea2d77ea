"""Pages of a notary organisation under /cong-chung/ (thin: parse → access → service).

Only the organisation's own notaries and clerks see these pages, and only its own transactions
(404 otherwise); every notary finds all organisations' transactions through the look-up
(/ngan-chan/tra-cuu/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.audit.services import personal_data_access_record
from motcua.blocking.files import content_type_of
from motcua.core.http import client_ip
from motcua.orgs.models import Unit

from . import services
from .access import get_transaction_for_user
from .errors import NotaryError
from .forms import TransactionForm
from .parse import parties_text
from .selectors import office_ids, transactions_for_user

PAGE_SIZE = 50


def _offices(request):
    ids = office_ids(request.user)
    if not ids:
        raise Http404
    return Unit.objects.filter(pk__in=ids).order_by("name")


@login_required
def tx_list(request):
    """The organisation's transactions, newest first."""
    _offices(request)
    page = Paginator(
        transactions_for_user(request.user).order_by("-contract_date", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notary/list.html", {"page": page})


@login_required
def enter(request):
    """Record a notarized contract of the user's organisation."""
    offices = _offices(request)
    if request.method == "POST":
        form = TransactionForm(request.POST, request.FILES, offices=offices)
        if form.is_valid():
            try:
                tx = services.transaction_record(
                    actor=request.user,
                    office=form.cleaned_data["office"],
                    data=form.to_input(),
                    scan=form.cleaned_data.get("scan"),
                )
            except NotaryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Contract %(no)s recorded.") % {"no": tx.contract_no})
                return redirect("notary:detail", tx.pk)
        return render(request, "notary/enter.html", {"form": form}, status=400)
    form = TransactionForm(offices=offices, initial={"office": offices.first()})
    return render(request, "notary/enter.html", {"form": form})


@login_required
def detail(request, pk: int):
    tx = get_transaction_for_user(request.user, pk)
    personal_data_access_record(
        actor=request.user, subject=tx, purpose="notary: transaction page", ip=client_ip(request)
    )
    return render(
        request,
        "notary/detail.html",
        {
            "tx": tx,
            "assets": tx.assets.all(),
            "parties": tx.parties.all(),
            "revisions": tx.revisions.select_related("by").order_by("-version"),
            "cancellations": tx.cancellations.all(),
        },
    )


@login_required
def correct(request, pk: int):
    """Correct a transaction: the earlier content stays in its history."""
    tx = get_transaction_for_user(request.user, pk)
    offices = _offices(request)
    if request.method == "POST":
        form = TransactionForm(
            request.POST, request.FILES, offices=offices, correcting=True, initial=_initial(tx)
        )
        if form.is_valid():
            try:
                services.transaction_correct(
                    actor=request.user,
                    tx_id=tx.pk,
                    data=form.to_input(),
                    reason=form.cleaned_data["reason"],
                    scan=form.cleaned_data.get("scan"),
                )
            except NotaryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Contract %(no)s corrected.") % {"no": tx.contract_no})
                return redirect("notary:detail", tx.pk)
        return render(request, "notary/enter.html", {"form": form, "tx": tx}, status=400)
    form = TransactionForm(offices=offices, correcting=True, initial=_initial(tx))
    return render(request, "notary/enter.html", {"form": form, "tx": tx})


def _initial(tx) -> dict:
    asset = tx.assets.current().first()
    initial = {
        "office": tx.office_id,
        "contract_no": tx.contract_no,
        "contract_date": tx.contract_date,
        "kind": tx.kind,
        "notary_name": tx.notary_name,
        "value": tx.value,
        "cancels": tx.cancels.contract_no if tx.cancels_id else "",
        "note": tx.note,
        "parties": parties_text(tx.parties.current()),
    }
    if asset is not None:
        initial["asset_type"] = asset.asset_type
        for name in services.ASSET_FIELDS:
            initial[name] = getattr(asset, name)
    return initial


@login_required
@require_POST
def release(request, pk: int):
    """Record that a mortgage is released (it no longer warns)."""
    tx = get_transaction_for_user(request.user, pk)
    try:
        services.mortgage_release(
            actor=request.user, tx_id=tx.pk, note=request.POST.get("note", "")
        )
    except NotaryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The mortgage is recorded as released."))
    return redirect("notary:detail", tx.pk)


@login_required
def scan(request, pk: int):
    tx = get_transaction_for_user(request.user, pk)
    if not tx.scan:
        raise Http404
    try:
        handle = tx.scan.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    personal_data_access_record(
        actor=request.user, subject=tx, purpose="notary: scanned contract", ip=client_ip(request)
    )
    response = FileResponse(handle, as_attachment=True, filename=tx.scan.name.rsplit("/", 1)[-1])
    response["Content-Type"] = content_type_of(tx.scan)
    return response
