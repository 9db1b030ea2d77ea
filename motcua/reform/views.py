"""Thin HTML views for scorecards, appraisal, publication, published tables and cost plans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import excel, services
from . import render as rendering
from .access import (
    can_view_assessment,
    get_assessment_for_user,
    get_evidence_for_user,
    get_plan_for_user,
    is_evaluator,
    officer_unit_ids,
    plans_for_user,
)
from .choices import ActionStatus, AssessmentStatus, Block, ItemKind, SchemeStatus
from .models import Scheme
from .plans import plan_report
from .selectors import (
    assessments_for_user,
    officer_units,
    open_schemes,
    published_results,
    published_schemes,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _login(request):
    try:
        login_url = resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:  # pragma: no cover - before the accounts pages exist
        login_url = "/admin/login/"
    return redirect_to_login(request.get_full_path(), login_url)


def staff_view(view):
    """Anonymous users are sent to the login page; everything else is decided by access.py."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _login(request)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _fail(request, exc: services.ReformError) -> None:
    messages.error(request, str(exc))
    for line in exc.errors:
        messages.error(request, line)


def _block_or_404(block: str) -> str:
    if block not in Block.values:
        raise Http404
    return block


# --- overview -------------------------------------------------------------------------------------
def index(request):
    """Published tables for everyone; own scorecards for units; the council's worklist."""
    user = request.user
    context = {
        "published": list(published_schemes()),
        "assessments": list(assessments_for_user(user)),
        "is_evaluator": is_evaluator(user),
        "open_schemes": list(open_schemes()) if user.is_authenticated else [],
        "officer_units": list(officer_units(user)) if user.is_authenticated else [],
        "plans": list(plans_for_user(user)),
    }
    if context["is_evaluator"]:
        context["managed"] = list(Scheme.objects.exclude(status=SchemeStatus.PUBLISHED))
    return render(request, "reform/index.html", context)


@require_POST
@staff_view
def assessment_start(request, scheme_id: int):
    try:
        unit_id = int(request.POST.get("unit", ""))
    except ValueError:
        raise Http404 from None
    assessment = services.assessment_start(actor=request.user, scheme_id=scheme_id, unit_id=unit_id)
    return redirect("reform:assessment", assessment.pk)


# --- self-assessment ------------------------------------------------------------------------------
def _rows(assessment):
    """Leaves in order with their score rows and evidence (constant number of queries)."""
    leaves = services.leaf_items(assessment.scheme)
    all_items = {i.pk: i for i in assessment.scheme.items.all()}
    scores = {
        s.item_id: s
        for s in assessment.scores.prefetch_related("evidence").only(
            "id",
            "item_id",
            "assessment_id",
            "not_applicable",
            "self_score",
            "self_note",
            "appraised_score",
            "appraisal_reason",
        )
    }
    rows = []
    for item in leaves:
        path = []
        node = item
        while node.parent_id:
            node = all_items[node.parent_id]
            path.insert(0, node)
        rows.append({"item": item, "path": path, "score": scores.get(item.pk)})
    return rows


@require_http_methods(["GET", "POST"])
@staff_view
def assessment(request, assessment_id: int):
    """The unit's scorecard: edit in draft (its reform officer), read otherwise."""
    obj = get_assessment_for_user(request.user, assessment_id, "view")
    can_edit = (
        obj.unit_id in officer_unit_ids(request.user)
        and obj.status == AssessmentStatus.DRAFT
        and not obj.scheme.is_published
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        action = request.POST.get("action", "save")
        try:
            if action == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise services.ReformError(_("Choose a file to upload."))
                services.evidence_add(
                    actor=request.user,
                    assessment_id=obj.pk,
                    item_id=int(request.POST.get("item", 0)),
                    name=upload.name,
                    data=upload.read(),
                )
                messages.success(request, _("The evidence file was attached."))
            elif action == "delete_evidence":
                services.evidence_delete(
                    actor=request.user,
                    assessment_id=obj.pk,
                    evidence_id=int(request.POST.get("evidence", 0)),
                )
                messages.success(request, _("The evidence file was removed."))
            else:
                entries = [
                    services.SelfEntry(
                        item_id=row["item"].pk,
                        score=request.POST.get(f"score-{row['item'].pk}", ""),
                        not_applicable=request.POST.get(f"na-{row['item'].pk}") == "on",
                        note=request.POST.get(f"note-{row['item'].pk}", ""),
                    )
                    for row in _rows(obj)
                    if row["item"].kind != ItemKind.SURVEY
                ]
                services.self_assessment_save(
                    actor=request.user, assessment_id=obj.pk, entries=entries
                )
                if action == "submit":
                    services.self_assessment_submit(actor=request.user, assessment_id=obj.pk)
                    messages.success(
                        request, _("The self-assessment was submitted to the council.")
                    )
                else:
                    messages.success(request, _("The self-assessment was saved."))
        except services.ReformError as exc:
            _fail(request, exc)
        except ValueError:
            raise Http404 from None
        return redirect("reform:assessment", obj.pk)
    show_appraisal = obj.scheme.is_published or is_evaluator(request.user)
    totals = None
    if show_appraisal:
        try:
            totals, _own = services.unit_totals(obj)
        except Exception:  # incomplete scorecards have no totals yet
            totals = None
    return render(
        request,
        "reform/assessment.html",
        {
            "assessment": obj,
            "rows": _rows(obj),
            "can_edit": can_edit,
            "show_appraisal": show_appraisal,
            "totals": totals,
        },
    )


@staff_view
def evidence_download(request, assessment_id: int, evidence_id: int):
    evidence = get_evidence_for_user(request.user, assessment_id, evidence_id)
    response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- appraisal ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@staff_view
def appraise(request, assessment_id: int):
    """The council confirms or adjusts each item with a reason; it never touches the evidence."""
    obj = get_assessment_for_user(request.user, assessment_id, "appraise")
    can_edit = obj.status == AssessmentStatus.SUBMITTED and not obj.scheme.is_published
    if request.method == "POST":
        if not can_edit:
            raise Http404
        entries = [
            services.AppraisalEntry(
                item_id=row["item"].pk,
                score=request.POST.get(f"score-{row['item'].pk}", ""),
                reason=request.POST.get(f"reason-{row['item'].pk}", ""),
            )
            for row in _rows(obj)
            if row["item"].kind != ItemKind.SURVEY
        ]
        try:
            services.appraisal_save(actor=request.user, assessment_id=obj.pk, entries=entries)
            if request.POST.get("action") == "complete":
                services.appraisal_complete(actor=request.user, assessment_id=obj.pk)
                messages.success(request, _("The appraisal is complete."))
                return redirect("reform:scheme", obj.scheme_id)
            messages.success(request, _("The appraisal was saved."))
        except services.ReformError as exc:
            _fail(request, exc)
        return redirect("reform:appraise", obj.pk)
    return render(
        request,
        "reform/appraise.html",
        {"assessment": obj, "rows": _rows(obj), "can_edit": can_edit},
    )


# --- scheme management (council) ------------------------------------------------------------------
def _scheme_for_council(request, scheme_id: int) -> Scheme:
    if not is_evaluator(request.user):
        raise Http404
    scheme = Scheme.objects.filter(pk=scheme_id).first()
    if scheme is None:
        raise Http404
    return scheme


@require_http_methods(["GET", "POST"])
@staff_view
def scheme(request, scheme_id: int):
    """Council page: scorecards of the scheme, survey scores, publication."""
    obj = _scheme_for_council(request, scheme_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.scheme_publish(actor=request.user, scheme_id=obj.pk)
                messages.success(request, _("The results are published."))
                return redirect("reform:results", obj.year, obj.block)
            if action == "survey":
                rows = []
                for line in request.POST.get("survey", "").splitlines():
                    if line.strip():
                        parts = [p.strip() for p in line.replace(";", ",").split(",")]
                        rows.append((parts + ["", "", ""])[:3])
                count = services.survey_scores_set(
                    actor=request.user, scheme_id=obj.pk, rows=[tuple(r) for r in rows]
                )
                messages.success(request, _("%(n)s survey scores saved.") % {"n": count})
            elif action == "open" and obj.status == SchemeStatus.DRAFT:
                services.scheme_open(actor=request.user, scheme_id=obj.pk)
                messages.success(request, _("The scheme is open for self-assessment."))
        except services.ReformError as exc:
            _fail(request, exc)
        return redirect("reform:scheme", obj.pk)
    return render(
        request,
        "reform/scheme.html",
        {
            "scheme": obj,
            "assessments": list(obj.assessments.select_related("unit")),
            "survey_items": list(obj.items.filter(kind=ItemKind.SURVEY)),
            "bands": list(obj.bands.all()),
        },
    )


@staff_view
def scheme_export(request, scheme_id: int):
    obj = _scheme_for_council(request, scheme_id)
    response = HttpResponse(excel.scheme_to_xlsx(obj), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="bo-chi-so-{obj.year}-{obj.block}.xlsx"'
    )
    return response


@require_http_methods(["GET", "POST"])
@staff_view
def scheme_import(request):
    if not is_evaluator(request.user):
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise services.ReformError(_("Choose a file to upload."))
            created = excel.scheme_from_xlsx(actor=request.user, data=upload.read())
            messages.success(request, _("The scheme was imported."))
            return redirect("reform:scheme", created.pk)
        except services.ReformError as exc:
            errors = [str(exc), *exc.errors]
    return render(
        request, "reform/scheme_import.html", {"errors": errors}, status=400 if errors else 200
    )


# --- published tables -----------------------------------------------------------------------------
def published_or_404(year: int, block: str):
    _block_or_404(block)
    obj = Scheme.objects.filter(year=year, block=block, status=SchemeStatus.PUBLISHED).first()
    if obj is None:
        raise Http404
    return obj, published_results(year, block)


def results_title(obj: Scheme) -> str:
    return f"Kết quả Chỉ số cải cách hành chính năm {obj.year} – {obj.get_block_display()}"


def results(request, year: int, block: str):
    """The published table, the field-index table and the chart (public)."""
    obj, rows = published_or_404(year, block)
    fields = list(obj.items.filter(parent__isnull=True).exclude(kind__in=["bonus", "penalty"]))
    field_rows = [
        {"result": r, "values": [Decimal(r.field_indices.get(f.code) or 0) for f in fields]}
        for r in rows
        if r.field_indices
    ]
    return render(
        request,
        "reform/results.html",
        {
            "scheme": obj,
            "results": rows,
            "title": results_title(obj),
            "fields": fields,
            "field_rows": field_rows,
            "count": len(rows),
            "chart": rendering.chart_svg(rows, year=obj.year),
            "pdf_available": rendering.font_path() is not None,
            # The appraisal council signs the published results (issue 15, signing/access.py).
            "can_sign": is_evaluator(request.user),
        },
    )


def results_xlsx(request, year: int, block: str):
    obj, rows = published_or_404(year, block)
    data = excel.results_to_xlsx(
        results_title(obj), rendering.TABLE_HEADER, rendering.table_rows(rows, numbers=True)
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cchc-{year}-{block}.xlsx"'
    return response


def results_pdf(request, year: int, block: str):
    obj, rows = published_or_404(year, block)
    data = rendering.table_pdf(
        results_title(obj), rendering.TABLE_HEADER, rendering.table_rows(rows)
    )
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cchc-{year}-{block}.pdf"'
    return response


def results_chart(request, year: int, block: str):
    obj, rows = published_or_404(year, block)
    return HttpResponse(rendering.chart_svg(rows, year=obj.year), content_type="image/svg+xml")


# --- gap analysis and action plan -----------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@staff_view
def gaps(request, assessment_id: int):
    """Items where the unit lost most points (max − appraised) with the council's reasons."""
    obj = get_assessment_for_user(request.user, assessment_id, "view")
    if not (obj.scheme.is_published or is_evaluator(request.user)):
        raise Http404
    can_plan = obj.unit_id in officer_unit_ids(request.user)
    if request.method == "POST":
        if not can_plan:
            raise Http404
        try:
            if request.POST.get("action") == "status":
                services.action_set_status(
                    actor=request.user,
                    assessment_id=obj.pk,
                    action_id=int(request.POST.get("id", 0)),
                    status=request.POST.get("status", ""),
                )
            else:
                try:
                    due = date.fromisoformat(request.POST.get("due_date", ""))
                except ValueError:
                    raise services.ReformError(_("Enter the due date as YYYY-MM-DD.")) from None
                services.action_add(
                    actor=request.user,
                    assessment_id=obj.pk,
                    item_id=int(request.POST.get("item") or 0) or None,
                    title=request.POST.get("title", ""),
                    owner=request.POST.get("owner", ""),
                    due_date=due,
                )
                messages.success(request, _("The action was added to the plan."))
        except services.ReformError as exc:
            _fail(request, exc)
        except ValueError:
            raise Http404 from None
        return redirect("reform:gaps", obj.pk)
    gap_rows = []
    for row in _rows(obj):
        score, item = row["score"], row["item"]
        if item.kind in (ItemKind.BONUS, ItemKind.PENALTY) or score is None:
            continue
        if score.not_applicable:
            continue
        got = score.appraised_score if score.appraised_score is not None else Decimal(0)
        lost = item.max_points - got
        if lost > 0:
            gap_rows.append({**row, "lost": lost, "got": got})
    gap_rows.sort(key=lambda r: (-r["lost"], r["item"].order))
    return render(
        request,
        "reform/gaps.html",
        {
            "assessment": obj,
            "gaps": gap_rows,
            "actions": list(obj.actions.select_related("item")),
            "can_plan": can_plan,
            "statuses": ActionStatus.choices,
        },
    )


# --- compliance cost ------------------------------------------------------------------------------
@staff_view
def plans(request):
    return render(request, "reform/plans.html", {"plans": list(plans_for_user(request.user))})


@staff_view
def plan_detail(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id)
    return render(request, "reform/plan.html", {"plan": plan, "report": plan_report(plan)})


@staff_view
def plan_xlsx(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id)
    report = plan_report(plan)
    rows = [[label, value] for label, value in report.table()]
    data = excel.results_to_xlsx(plan.title, ["Nội dung", "Giá trị"], rows)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chi-phi-tuan-thu-{plan.pk}.xlsx"'
    return response


__all__ = ["can_view_assessment"]
