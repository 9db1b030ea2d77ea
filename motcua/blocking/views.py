"""Pages of the blocking registry under /ngan-chan/ (thin: parse → access → service/selector).

Everyone who is neither an officer / auditor of the registry's unit nor a notary gets 404 (not 403).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.audit.models import AuditEvent
from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip
from motcua.orgs.active import narrow_for_request

from . import services, withdrawal
from .access import get_lookup_for_user, get_release_for_user, get_request_for_user
from .certificate import certificate_pdf, pdf_available, qr_svg
from .choices import RequestStatus
from .deadline import service_time_text
from .errors import BlockingError, DuplicateRequestError
from .files import content_type_of
from .forms import AssetFormSet, PeriodForm, ReleaseForm, RequestForm, SearchForm
from .identity import typed
from .models import Asset, Owner, SearchLog
from .search import log_search, run_search, verify_digest
from .selectors import (
    MAX_WORKLIST_SEARCH,
    can_search,
    lookup_log_for_user,
    officer_unit_ids,
    viewer_unit_ids,
    worklist_for_officer,
    worklist_search,
)
from .stats import blocking_ontime

VIEW_PURPOSE = "blocking registry: record page"
SCAN_PURPOSE = "blocking registry: scanned document"
PAGE_SIZE = 50


def _viewer_units(request) -> set[int]:
    units = viewer_unit_ids(request.user)
    if not units:
        raise Http404
    return units


def _officer_unit(request):
    units = officer_unit_ids(request.user)
    if not units:
        raise Http404
    from motcua.orgs.models import Unit

    return Unit.objects.get(pk=min(units))


def worklist_filtered(request):
    """(queryset, units, status, q) of the officers' list and its Excel export; 404 for others.

    Filters: ?status=, ?overdue=1, ?q= (text search, `selectors.worklist_search`); a person with
    several units sees the active one's (orgs.active)."""
    allowed = _viewer_units(request)
    units = narrow_for_request(request, allowed)
    queryset = worklist_for_officer(request.user)
    if units != allowed:
        queryset = queryset.filter(unit_id__in=units)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    if request.GET.get("overdue"):
        queryset = queryset.filter(
            status__in=[RequestStatus.ENTERED, RequestStatus.APPROVED],
            due_at__lt=timezone.now(),
        )
    q = (request.GET.get("q") or "").strip()[:MAX_WORKLIST_SEARCH]
    return worklist_search(queryset, q), units, status, q


@login_required
def worklist(request):
    """Officers' list: newest first, overdue (not published by the due time) highlighted."""
    queryset, _units, status, q = worklist_filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    rows = [
        {
            "request": r,
            "overdue": r.status in (RequestStatus.ENTERED, RequestStatus.APPROVED)
            and r.due_at is not None
            and r.due_at < now,
        }
        for r in page
    ]
    return render(
        request,
        "blocking/worklist.html",
        {
            "page": page,
            "rows": rows,
            "statuses": RequestStatus.choices,
            "status": status,
            "q": q,
            "query": query.urlencode(),
            "can_enter": bool(officer_unit_ids(request.user)),
            "registry_officer": True,
        },
    )


@login_required
def enter(request):
    """Entry form: the request, its assets and their owners."""
    unit = _officer_unit(request)
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES)
        formset = AssetFormSet(request.POST, prefix="assets")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            assets = [
                f.to_input()
                for f in formset.forms
                if f.cleaned_data and (f.has_changed() or not f.empty_permitted)
            ]
            try:
                record = services.request_enter(
                    actor=request.user,
                    unit=unit,
                    data=services.RequestInput(
                        request_no=data["request_no"],
                        kind=data["kind"],
                        authority_type=data["authority_type"],
                        authority_name=data["authority_name"],
                        document_number=data["document_number"],
                        document_date=data["document_date"],
                        received_at=data.get("received_at"),
                        sender_person=data["sender_person"],
                        summary=data["summary"],
                        note=data["note"],
                    ),
                    assets=assets,
                    scan=data.get("scan"),
                )
            except DuplicateRequestError as exc:
                form.add_error(None, str(exc))
                existing = exc.existing
                duplicate_url = (
                    reverse("blocking:detail", args=[existing.pk])
                    if existing.unit_id in viewer_unit_ids(request.user)
                    else None
                )
                return render(
                    request,
                    "blocking/enter.html",
                    {
                        "form": form,
                        "formset": formset,
                        "unit": unit,
                        "duplicate_url": duplicate_url,
                    },
                    status=409,
                )
            except BlockingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Request %(no)s entered.") % {"no": record.request_no})
                return redirect("blocking:detail", record.pk)
        return render(
            request,
            "blocking/enter.html",
            {"form": form, "formset": formset, "unit": unit, "registry_officer": True},
            status=400,
        )
    return render(
        request,
        "blocking/enter.html",
        {
            "form": RequestForm(),
            "formset": AssetFormSet(prefix="assets"),
            "unit": unit,
            "registry_officer": True,
        },
    )


def _request_input(data) -> services.RequestInput:
    return services.RequestInput(
        request_no=data["request_no"],
        kind=data["kind"],
        authority_type=data["authority_type"],
        authority_name=data["authority_name"],
        document_number=data["document_number"],
        document_date=data["document_date"],
        received_at=data["received_at"],
        sender_person=data["sender_person"],
        summary=data["summary"],
        note=data["note"],
    )


def _owners_text(owners) -> str:
    # The type is written as a prefix ("passport:C1234567") when the shape would not give it.
    return "\n".join(
        " | ".join([o.name, typed(o.id_type, o.id_number), str(o.birth_year or "")]).rstrip(" |")
        for o in owners
    )


def _correction_initial(record):
    request_initial = {
        name: getattr(record, name)
        for name in (
            "request_no",
            "kind",
            "authority_name",
            "sender_person",
            "document_number",
            "document_date",
            "summary",
            "note",
        )
    }
    request_initial["authority_type"] = record.authority_type_id
    request_initial["received_at"] = timezone.localtime(record.received_at)
    assets_initial = []
    # Only what is not withdrawn: the correction works on the active assets and owners.
    for asset, owners in services.active_assets_with_owners(record):
        row = {name: getattr(asset, name) for name in services.ASSET_FIELDS}
        row["asset_type"] = asset.asset_type
        row["owners"] = _owners_text(owners)
        assets_initial.append(row)
    return request_initial, assets_initial


@login_required
def correct(request, pk: int):
    """Correct an entered request before approval (officers of its unit; the entry form again)."""
    record = get_request_for_user(request.user, pk, action="edit")
    if not services.is_correctable(record):
        messages.error(
            request,
            _(
                "Only a request awaiting approval can be corrected; after approval a "
                "correction needs a new document."
            ),
        )
        return redirect("blocking:detail", record.pk)
    context = {"unit": record.unit, "record": record, "correcting": True, "registry_officer": True}
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES)
        formset = AssetFormSet(request.POST, prefix="assets")
        if form.is_valid() and formset.is_valid():
            assets = [
                f.to_input()
                for f in formset.forms
                if f.cleaned_data and (f.has_changed() or not f.empty_permitted)
            ]
            try:
                services.request_correct(
                    actor=request.user,
                    request_id=record.pk,
                    data=_request_input(form.cleaned_data),
                    assets=assets,
                    scan=form.cleaned_data.get("scan"),
                )
            except BlockingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Request %(no)s corrected.") % {"no": form.cleaned_data["request_no"]},
                )
                return redirect("blocking:detail", record.pk)
        context.update({"form": form, "formset": formset})
        return render(request, "blocking/enter.html", context, status=400)
    request_initial, assets_initial = _correction_initial(record)
    context.update(
        {
            "form": RequestForm(initial=request_initial),
            "formset": AssetFormSet(prefix="assets", initial=assets_initial),
        }
    )
    return render(request, "blocking/enter.html", context)


def _record_assets(record, *, staff: bool, can_correct: bool) -> list[Asset]:
    """The assets shown on the record page, each with `owner_list` and the withdraw flags.

    The registry's staff (officers and auditors of the unit) see withdrawn assets and owners too
    (struck through, with the reason); everyone else (notaries) only what is not withdrawn.
    """
    assets_qs = record.assets.select_related("released_by", "withdrawn_by")
    owners_qs = Owner.objects.select_related("withdrawn_by")
    if not staff:
        assets_qs, owners_qs = assets_qs.active(), owners_qs.active()
    assets = list(assets_qs.prefetch_related(Prefetch("owners", queryset=owners_qs)))
    active_count = sum(1 for a in assets if not a.is_withdrawn)
    for asset in assets:
        asset.withdraw_key = f"asset-{asset.pk}"
        asset.owner_list = list(asset.owners.all())
        open_asset = can_correct and not asset.is_withdrawn
        # The last asset, and the last owner of an asset, cannot be withdrawn (services refuse).
        asset.can_withdraw = open_asset and active_count > 1
        active_owners = [o for o in asset.owner_list if not o.is_withdrawn]
        for owner in asset.owner_list:
            owner.withdraw_key = f"owner-{owner.pk}"
            owner.can_withdraw = open_asset and not owner.is_withdrawn and len(active_owners) > 1
    return assets


def _detail_context(request, record, *, withdraw_target: str = "", withdraw_reason: str = ""):
    user = request.user
    is_officer = record.unit_id in officer_unit_ids(user)
    staff = record.unit_id in viewer_unit_ids(user)
    can_correct = is_officer and services.is_correctable(record)
    assets = _record_assets(record, staff=staff, can_correct=can_correct)
    events = AuditEvent.objects.filter(
        object_type=record._meta.label_lower, object_id=str(record.pk)
    ).select_related("actor")
    if not staff:
        # What was withdrawn (and why) is for the registry's staff only.
        events = events.exclude(action__in=withdrawal.AUDIT_ACTIONS)
    now = timezone.now()
    return {
        "record": record,
        "assets": assets,
        "staff": staff,
        # After a refused withdrawal: which form to open again, with the reason typed.
        "withdraw_target": withdraw_target,
        "withdraw_reason": withdraw_reason,
        "reason_max": withdrawal.MAX_REASON,
        "releases": list(record.releases.all()),
        "events": list(events),
        "is_officer": is_officer,
        "registry_officer": bool(viewer_unit_ids(user)),
        "can_approve": is_officer
        and record.status == RequestStatus.ENTERED
        and record.entered_by_id != user.pk,
        "four_eyes_block": is_officer
        and record.status == RequestStatus.ENTERED
        and record.entered_by_id == user.pk,
        "can_correct": can_correct,
        "can_publish": is_officer and record.status == RequestStatus.APPROVED,
        "can_release": is_officer
        and record.status in (RequestStatus.PUBLISHED, RequestStatus.PARTIALLY_RELEASED),
        "overdue": record.status in (RequestStatus.ENTERED, RequestStatus.APPROVED)
        and record.due_at is not None
        and record.due_at < now,
    }


@login_required
def detail(request, pk: int):
    """The record page with its history; each view of the owners' data is logged."""
    record = get_request_for_user(request.user, pk)
    personal_data_access_record(
        actor=request.user, subject=record, purpose=VIEW_PURPOSE, ip=client_ip(request)
    )
    return render(request, "blocking/detail.html", _detail_context(request, record))


@login_required
@require_POST
def act(request, pk: int, action: str):
    """Approve or publish (POST only; the service enforces roles and four-eyes)."""
    record = get_request_for_user(request.user, pk, action="edit")
    handlers = {"duyet": services.request_approve, "cong-bo": services.request_publish}
    handler = handlers.get(action)
    if handler is None:
        raise Http404
    if action == "duyet" and request.POST.get("confirm") != "1":
        # Approval is confirmed on the page (a required checkbox) and checked here too.
        messages.error(request, _("Tick the box to confirm: this cannot be undone."))
        context = _detail_context(request, get_request_for_user(request.user, pk))
        return render(request, "blocking/detail.html", context, status=400)
    try:
        handler(actor=request.user, request_id=record.pk)
    except BlockingError as exc:
        messages.error(request, str(exc))
        context = _detail_context(request, get_request_for_user(request.user, pk))
        return render(request, "blocking/detail.html", context, status=400)
    messages.success(request, _("Done."))
    return redirect("blocking:detail", record.pk)


def _withdraw(request, record, *, target: str, row_id: int, run, done: str):
    """Shared POST handler: the service, then the record page again with the error (400)."""
    reason = request.POST.get("reason", "")
    try:
        run(reason)
    except BlockingError as exc:
        messages.error(request, str(exc))
        context = _detail_context(
            request,
            get_request_for_user(request.user, record.pk),
            withdraw_target=f"{target}-{row_id}",
            withdraw_reason=reason,
        )
        return render(request, "blocking/detail.html", context, status=400)
    messages.success(request, done)
    return redirect("blocking:detail", record.pk)


@login_required
@require_POST
def withdraw_asset(request, pk: int, asset_id: int):
    """Withdraw an asset entered by mistake (officers of the unit, before approval; 404 otherwise)."""
    record = get_request_for_user(request.user, pk, action="edit")
    get_object_or_404(Asset.objects.only("pk"), pk=asset_id, request_id=record.pk)
    return _withdraw(
        request,
        record,
        target="asset",
        row_id=asset_id,
        run=lambda reason: withdrawal.withdraw_asset(
            actor=request.user, asset_id=asset_id, reason=reason
        ),
        done=_("Asset withdrawn."),
    )


@login_required
@require_POST
def withdraw_owner(request, pk: int, owner_id: int):
    """Withdraw an owner entered by mistake (officers of the unit, before approval; 404 otherwise)."""
    record = get_request_for_user(request.user, pk, action="edit")
    get_object_or_404(Owner.objects.only("pk"), pk=owner_id, asset__request_id=record.pk)
    return _withdraw(
        request,
        record,
        target="owner",
        row_id=owner_id,
        run=lambda reason: withdrawal.withdraw_owner(
            actor=request.user, owner_id=owner_id, reason=reason
        ),
        done=_("Owner withdrawn."),
    )


@login_required
def release(request, pk: int):
    """Record a release document for some or all assets."""
    record = get_request_for_user(request.user, pk, action="edit")
    open_assets = list(record.assets.active().filter(released_by__isnull=True))
    if request.method == "POST":
        form = ReleaseForm(request.POST, request.FILES, asset_choices=open_assets)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.request_release(
                    actor=request.user,
                    request_id=record.pk,
                    asset_ids=[int(v) for v in data["assets"]],
                    document_number=data["document_number"],
                    document_date=data["document_date"],
                    authority_name=data["authority_name"],
                    note=data["note"],
                    scan=data.get("scan"),
                    received_at=data.get("received_at"),
                )
            except BlockingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Release recorded."))
                if done.is_late and done.due_at is not None:
                    messages.warning(
                        request,
                        _(
                            "This release was recorded after its due time (%(due)s): it counts "
                            "as late in the statistics."
                        )
                        % {"due": timezone.localtime(done.due_at).strftime("%H:%M %d/%m/%Y")},
                    )
                return redirect("blocking:detail", record.pk)
        status = 400
    else:
        form = ReleaseForm(
            asset_choices=open_assets, initial={"authority_name": record.authority_name}
        )
        status = 200
    return render(
        request,
        "blocking/release.html",
        {"record": record, "form": form, "registry_officer": True},
        status=status,
    )


def _serve_scan(request, owner, field_file):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    personal_data_access_record(
        actor=request.user, subject=owner, purpose=SCAN_PURPOSE, ip=client_ip(request)
    )
    response = FileResponse(handle, as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1])
    response["Content-Type"] = content_type_of(field_file)
    return response


@login_required
def scan(request, pk: int):
    record = get_request_for_user(request.user, pk)
    return _serve_scan(request, record, record.scan)


@login_required
def release_scan(request, pk: int):
    item = get_release_for_user(request.user, pk)
    return _serve_scan(request, item.request, item.scan)


@login_required
def search(request):
    """The notaries' look-up: one box, or the advanced fields; every look-up is logged."""
    if not can_search(request.user):
        raise Http404
    form = SearchForm(request.GET or None)
    context = {
        "form": form,
        "outcome": None,
        "log": None,
        "registry_officer": bool(viewer_unit_ids(request.user)),
    }
    status = 200
    if request.GET and form.is_valid():
        criteria = form.criteria()
        try:
            with transaction.atomic():
                outcome = run_search(
                    user=request.user, query=form.cleaned_data["q"], criteria=criteria
                )
                log = log_search(user=request.user, outcome=outcome, criteria=criteria)
        except BlockingError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            context.update(
                {"outcome": outcome, "log": log, "results": log.results, "warnings": log.warnings}
            )
    elif request.GET:
        status = 400
    return render(request, "blocking/search.html", context, status=status)


@login_required
def lookup_log(request):
    """The office's own look-ups (notaries) / one's own look-ups (officers)."""
    if not can_search(request.user):
        raise Http404
    page = Paginator(lookup_log_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "blocking/lookup_log.html",
        {"page": page, "registry_officer": bool(viewer_unit_ids(request.user))},
    )


def verify_url(request, log: SearchLog) -> str:
    return request.build_absolute_uri(reverse("blocking:verify", args=[log.token]))


def certificate_labels() -> dict:
    return {
        "title": _("Certificate of look-up in the notarization blocking registry"),
        "at": _("Looked up at"),
        "who": _("By"),
        "office": _("Office"),
        "query": _("Query"),
        "count": _("Number of results"),
        "owners": _("Owners"),
        "document": _("Document"),
        "active": _("ACTIVE"),
        "released": _("released"),
        "none": _("No blocking information and no notarized transaction was found."),
        "verify": _("Verify at"),
        "warnings": _("Warnings"),
        "transaction": _("NOTARIZED TRANSACTION"),
        "cancelled": _("cancelled"),
        "mortgage_released": _("mortgage released"),
        "parties": _("Parties"),
        "notary_org": _("Notary organisation"),
    }


@login_required
def certificate(request, pk: int):
    """Printable certificate (HTML); ?format=pdf for the PDF."""
    log = get_lookup_for_user(request.user, pk)
    url = verify_url(request, log)
    if request.GET.get("format") == "pdf":
        if not pdf_available():
            raise Http404
        body = certificate_pdf(log, url, certificate_labels())
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="tra-cuu-{log.pk}.pdf"'
        return response
    return render(
        request,
        "blocking/certificate.html",
        {"log": log, "verify_url": url, "qr": qr_svg(url), "pdf": pdf_available()},
    )


def verify(request, token: str):
    """Public: anyone holding the certificate checks its date, query, count and hash."""
    log = get_object_or_404(SearchLog.objects.select_related("office"), token=token)
    return render(request, "blocking/verify.html", {"log": log, "intact": verify_digest(log)})


@login_required
def statistics(request):
    """On-time figures of this procedure: entries and releases, each within the procedure's time
    limit from the receipt of its document (16 working hours in the catalogue)."""
    units = _viewer_units(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"date_from": date(today.year, 1, 1), "date_to": today})
    figures = None
    if form.is_valid():
        period = (form.cleaned_data["date_from"], form.cleaned_data["date_to"])
        # DOMAIN §11: entries and releases, each due within the procedure's time limit.
        figures = {
            part: blocking_ontime(*period, unit_ids=units, part=part)
            for part in ("entries", "releases", "all")
        }
    return render(
        request,
        "blocking/statistics.html",
        {
            "form": form,
            "figures": figures,
            "service_time": service_time_text(),
            "registry_officer": True,
        },
        status=200 if figures is not None else 400,
    )
