"""Pages of the authorities' submissions under /ngan-chan/gui/ (issue 16).

An authority's staff: submit, list and follow their own authority's submissions. The registry's
officers: the submissions sent to their unit, accept (→ a request, approved by a second officer) or
refuse. Anyone else: 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip

from . import submissions as subs
from .choices import Kind
from .errors import BlockingError
from .files import content_type_of
from .forms import DATE, AssetFormSet
from .selectors import officer_unit_ids, viewer_unit_ids


class SubmissionForm(forms.Form):
    sender = forms.ModelChoiceField(
        label=gettext_lazy("Authority"), queryset=None, empty_label=None
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=Kind.choices, initial=Kind.BLOCKING
    )
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=100)
    document_date = forms.DateField(label=gettext_lazy("Document date"), widget=DATE)
    sender_person = forms.CharField(
        label=gettext_lazy("Sender (person)"), max_length=200, required=False
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 2})
    )
    scan = forms.FileField(label=gettext_lazy("Scanned document (PDF, JPEG, PNG)"))

    def __init__(self, *args, senders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders


@login_required
def submission_list(request):
    senders = subs.senders_for_user(request.user)
    registry = bool(viewer_unit_ids(request.user))
    if not senders.exists() and not registry:
        raise Http404
    queryset = subs.submissions_for_user(request.user)
    if request.GET.get("status") in ("submitted", "accepted", "refused"):
        queryset = queryset.filter(status=request.GET["status"])
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [{"s": s, "follow": subs.follow_status(s)} for s in page]
    return render(
        request,
        "blocking/submission_list.html",
        {
            "page": page,
            "rows": rows,
            "can_submit": senders.exists(),
            "registry_officer": registry,
        },
    )


@login_required
def submission_new(request):
    senders = subs.senders_for_user(request.user)
    if not senders.exists():
        raise Http404
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, senders=senders)
        formset = AssetFormSet(request.POST, prefix="assets")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            assets = [
                f.to_input()
                for f in formset.forms
                if f.cleaned_data and (f.has_changed() or not f.empty_permitted)
            ]
            try:
                submission = subs.submission_create(
                    actor=request.user,
                    sender=data["sender"],
                    kind=data["kind"],
                    document_number=data["document_number"],
                    document_date=data["document_date"],
                    summary=data["summary"],
                    sender_person=data["sender_person"],
                    assets=assets,
                    scan=data.get("scan"),
                )
            except BlockingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Sent to the registry. You can follow it here."))
                return redirect("blocking:submission", submission.pk)
        return render(
            request, "blocking/submission_new.html", {"form": form, "formset": formset}, status=400
        )
    return render(
        request,
        "blocking/submission_new.html",
        {
            "form": SubmissionForm(senders=senders, initial={"sender": senders.first()}),
            "formset": AssetFormSet(prefix="assets"),
        },
    )


@login_required
def submission_detail(request, pk: int):
    submission = subs.get_submission_for_user(request.user, pk)
    can_decide = (
        submission.status == "submitted"
        and submission.sender.registry_id in officer_unit_ids(request.user)
    )
    personal_data_access_record(
        actor=request.user,
        subject=submission,
        purpose="blocking registry: submission page",
        ip=client_ip(request),
    )
    return render(
        request,
        "blocking/submission_detail.html",
        {
            "submission": submission,
            "follow": subs.follow_status(submission),
            "can_decide": can_decide,
            "registry_officer": bool(viewer_unit_ids(request.user)),
        },
    )


@login_required
@require_POST
def submission_decide(request, pk: int, action: str):
    submission = subs.get_submission_for_user(request.user, pk)
    try:
        if action == "accept":
            record = subs.submission_accept(
                actor=request.user,
                submission_id=submission.pk,
                request_no=request.POST.get("request_no", ""),
            )
            messages.success(
                request,
                _("Entered as request %(no)s; a second officer approves it.")
                % {"no": record.request_no},
            )
            return redirect("blocking:detail", record.pk)
        if action == "refuse":
            subs.submission_refuse(
                actor=request.user,
                submission_id=submission.pk,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The submission is refused."))
        else:
            raise Http404
    except BlockingError as exc:
        messages.error(request, str(exc))
    return redirect("blocking:submission", submission.pk)


@login_required
def submission_scan(request, pk: int):
    submission = subs.get_submission_for_user(request.user, pk)
    try:
        handle = submission.scan.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    personal_data_access_record(
        actor=request.user,
        subject=submission,
        purpose="blocking registry: submitted document",
        ip=client_ip(request),
    )
    response = FileResponse(
        handle, as_attachment=True, filename=submission.scan.name.rsplit("/", 1)[-1]
    )
    response["Content-Type"] = content_type_of(submission.scan)
    return response
