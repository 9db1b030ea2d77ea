"""Writes on reform scorecards: keyword-only, `actor` first, atomic, one audit event per call."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.core.uploads import UploadRefused, inspect_upload
from motcua.orgs.models import Unit

from .access import get_assessment_for_user, is_evaluator
from .choices import AssessmentStatus, ItemKind, ResultSource, SchemeStatus
from .models import ActionItem, Assessment, Band, Evidence, Item, ItemScore, Result, Scheme
from .scoring import (
    DEFAULT_BANDS,
    Leaf,
    ScoreError,
    Totals,
    assign_ranks,
    classify,
    compute,
    q2,
)

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser, User


class ReformError(Exception):
    """A refused action; the message is for the user (translated)."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


# --- helpers --------------------------------------------------------------------------------------
def parse_points(value: object, what: str) -> Decimal | None:
    """'' / None → None; otherwise a finite Decimal with at most 2 decimals, ≥ 0."""
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number != q2(number):
        raise ReformError(
            _("%(what)s: “%(value)s” is not a non-negative number with at most 2 decimals.")
            % {"what": what, "value": value}
        )
    return number


def ensure_default_bands(scheme: Scheme) -> None:
    """Give a scheme without bands the five default bands of DOMAIN §10."""
    if not scheme.bands.exists():
        Band.objects.bulk_create(
            Band(scheme=scheme, label=label, lower_bound=lower) for label, lower in DEFAULT_BANDS
        )


def leaf_items(scheme: Scheme) -> list[Item]:
    """The scored leaves of a scheme's tree, in order, each with `field_code` (its root's code)."""
    items = list(scheme.items.all())
    by_id = {i.pk: i for i in items}
    parents = {i.parent_id for i in items if i.parent_id}
    leaves = []
    for item in items:
        if item.pk in parents:
            continue
        root = item
        while root.parent_id:
            root = by_id[root.parent_id]
        # A per-request attribute for unit_totals, not a model field.
        item.field_code = root.code  # type: ignore[attr-defined]
        leaves.append(item)
    return leaves


def _check_range(item: Item, score: Decimal | None) -> None:
    if score is not None and score > item.max_points:
        raise ReformError(
            _("Item %(code)s: %(score)s exceeds the maximum of %(max)s points.")
            % {"code": item.code, "score": score, "max": item.max_points}
        )


def _require_evaluator(actor: AnyUser) -> None:
    if not is_evaluator(actor):
        raise Http404


# --- self-assessment ------------------------------------------------------------------------------
def assessment_start(*, actor: User, scheme_id: int, unit_id: int) -> Assessment:
    """Open the unit's scorecard under an open scheme (the unit's reform officer)."""
    from .access import officer_unit_ids

    with transaction.atomic():
        scheme = Scheme.objects.filter(pk=scheme_id, status=SchemeStatus.OPEN).first()
        if scheme is None or unit_id not in officer_unit_ids(actor):
            raise Http404
        assessment, created = Assessment.objects.get_or_create(scheme=scheme, unit_id=unit_id)
        if created:
            ItemScore.objects.bulk_create(
                ItemScore(assessment=assessment, item=item) for item in leaf_items(scheme)
            )
            audit_record(actor=actor, action="reform.assessment_start", obj=assessment)
        return assessment


@dataclass
class SelfEntry:
    item_id: int
    score: object
    not_applicable: bool = False
    note: str = ""


def _editable_by_unit(actor: AnyUser, assessment_id: int) -> Assessment:
    assessment = get_assessment_for_user(actor, assessment_id, "self_edit")
    assessment = (
        Assessment.objects.select_for_update().select_related("scheme").get(pk=assessment.pk)
    )
    if assessment.status != AssessmentStatus.DRAFT or assessment.scheme.is_published:
        raise ReformError(
            _("This self-assessment has been submitted and can no longer be changed.")
        )
    return assessment


def self_assessment_save(
    *, actor: User, assessment_id: int, entries: list[SelfEntry]
) -> Assessment:
    """Save the unit's own scores, "not applicable" marks and explanations (draft only)."""
    with transaction.atomic():
        assessment = _editable_by_unit(actor, assessment_id)
        scores = {s.item_id: s for s in assessment.scores.select_related("item")}
        errors: list[str] = []
        changed = []
        for entry in entries:
            row = scores.get(int(entry.item_id))
            if row is None:
                raise Http404
            try:
                score = parse_points(entry.score, row.item.code)
                _check_range(row.item, score)
            except ReformError as exc:
                errors.append(str(exc))
                continue
            if row.item.kind == ItemKind.SURVEY:
                continue  # survey points come from the survey, not from the unit
            row.self_score = None if entry.not_applicable else score
            row.not_applicable = bool(entry.not_applicable) and row.item.kind == ItemKind.REGULAR
            row.self_note = (entry.note or "").strip()
            changed.append(row)
        if errors:
            raise ReformError(_("Nothing was saved."), errors)
        ItemScore.objects.bulk_update(changed, ["self_score", "not_applicable", "self_note"])
        audit_record(
            actor=actor,
            action="reform.self_assessment_save",
            obj=assessment,
            data={"items": len(changed)},
        )
        return assessment


# PDF, JPEG, PNG by their first bytes (the name and the browser's content type are not trusted).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff(data: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def evidence_add(
    *, actor: User, assessment_id: int, item_id: int, name: str, data: bytes
) -> Evidence:
    """Attach an evidence file (PDF, JPEG or PNG, checked by content) to one of the unit's items."""
    with transaction.atomic():
        assessment = _editable_by_unit(actor, assessment_id)
        row = assessment.scores.filter(item_id=item_id).first()
        if row is None:
            raise Http404
        limit = getattr(settings, "MOTCUA_MAX_UPLOAD_MB", 10) * 1024 * 1024
        if not data:
            raise ReformError(_("The file is empty."))
        if len(data) > limit:
            raise ReformError(_("The file is larger than %(mb)s MB.") % {"mb": limit // 1048576})
        content_type = sniff(data)
        if content_type is None:
            raise ReformError(_("Only PDF, JPEG or PNG files are accepted (checked by content)."))
        try:
            # Issue 13: parsed, active content refused, images re-encoded (core/uploads.py).
            data = inspect_upload(io.BytesIO(data), (name or "evidence")[-255:]).content
        except UploadRefused as exc:
            raise ReformError(str(exc)) from None
        evidence = Evidence.objects.create(
            score=row,
            original_name=(name or "evidence")[-255:],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action="reform.evidence_add",
            obj=evidence,
            data={"assessment": assessment.pk, "item": row.item_id, "sha256": evidence.sha256},
        )
        return evidence


def evidence_delete(*, actor: User, assessment_id: int, evidence_id: int) -> None:
    """Remove an evidence file from the unit's draft (the unit's officer only)."""
    with transaction.atomic():
        assessment = _editable_by_unit(actor, assessment_id)
        evidence = Evidence.objects.filter(pk=evidence_id, score__assessment=assessment).first()
        if evidence is None:
            raise Http404
        audit_record(
            actor=actor,
            action="reform.evidence_delete",
            obj=evidence,
            data={"sha256": evidence.sha256},
        )
        evidence.delete()


def self_assessment_submit(*, actor: User, assessment_id: int) -> Assessment:
    """Submit the self-assessment to the council; every applicable regular item needs a score."""
    with transaction.atomic():
        assessment = _editable_by_unit(actor, assessment_id)
        missing = [
            s.item.code
            for s in assessment.scores.select_related("item")
            if s.item.kind == ItemKind.REGULAR and not s.not_applicable and s.self_score is None
        ]
        if missing:
            raise ReformError(
                _("Score every applicable item before submitting: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at"])
        audit_record(
            actor=actor,
            action="reform.self_assessment_submit",
            obj=assessment,
            from_state=AssessmentStatus.DRAFT,
            to_state=AssessmentStatus.SUBMITTED,
        )
        return assessment


# --- appraisal ------------------------------------------------------------------------------------
@dataclass
class AppraisalEntry:
    item_id: int
    score: object  # '' = confirm the unit's own score
    reason: str = ""


def appraisal_save(*, actor: User, assessment_id: int, entries: list[AppraisalEntry]) -> Assessment:
    """The council confirms (empty score) or adjusts (a score and a reason) each item."""
    with transaction.atomic():
        assessment = get_assessment_for_user(actor, assessment_id, "appraise")
        assessment = (
            Assessment.objects.select_for_update().select_related("scheme").get(pk=assessment.pk)
        )
        if assessment.scheme.is_published:
            raise ReformError(_("The results are published; the appraisal can no longer change."))
        scores = {s.item_id: s for s in assessment.scores.select_related("item")}
        errors: list[str] = []
        changed = []
        for entry in entries:
            row = scores.get(int(entry.item_id))
            if row is None:
                raise Http404
            if row.item.kind == ItemKind.SURVEY or row.not_applicable:
                continue
            reason = (entry.reason or "").strip()
            try:
                score = parse_points(entry.score, row.item.code)
                _check_range(row.item, score)
            except ReformError as exc:
                errors.append(str(exc))
                continue
            own = row.self_score if row.self_score is not None else Decimal(0)
            if score is None:
                score = own
            if score != own and not reason:
                errors.append(
                    _("Item %(code)s: give the reason for changing %(own)s to %(score)s.")
                    % {"code": row.item.code, "own": own, "score": score}
                )
                continue
            row.appraised_score = score
            row.appraisal_reason = reason
            row.appraised_by = actor
            changed.append(row)
        if errors:
            raise ReformError(_("Nothing was saved."), errors)
        ItemScore.objects.bulk_update(
            changed, ["appraised_score", "appraisal_reason", "appraised_by"]
        )
        adjusted = sum(1 for r in changed if r.appraised_score != (r.self_score or Decimal(0)))
        audit_record(
            actor=actor,
            action="reform.appraisal_save",
            obj=assessment,
            data={"items": len(changed), "adjusted": adjusted},
        )
        return assessment


def appraisal_complete(*, actor: User, assessment_id: int) -> Assessment:
    """Close the appraisal of a submitted scorecard; every applicable item must be appraised."""
    with transaction.atomic():
        assessment = get_assessment_for_user(actor, assessment_id, "appraise")
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status != AssessmentStatus.SUBMITTED:
            raise ReformError(_("Only a submitted scorecard can be appraised."))
        missing = [
            s.item.code
            for s in assessment.scores.select_related("item")
            if s.item.kind != ItemKind.SURVEY and not s.not_applicable and s.appraised_score is None
        ]
        if missing:
            raise ReformError(
                _("Appraise every item first: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        assessment.status = AssessmentStatus.APPRAISED
        assessment.appraised_at = timezone.now()
        assessment.save(update_fields=["status", "appraised_at"])
        audit_record(
            actor=actor,
            action="reform.appraisal_complete",
            obj=assessment,
            from_state=AssessmentStatus.SUBMITTED,
            to_state=AssessmentStatus.APPRAISED,
        )
        return assessment


def survey_scores_set(*, actor: User, scheme_id: int, rows: list[tuple[str, str, object]]) -> int:
    """Enter or import survey scores: (unit code, item code, score) rows, all or nothing."""
    _require_evaluator(actor)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().filter(pk=scheme_id).first()
        if scheme is None:
            raise Http404
        if scheme.is_published:
            raise ReformError(_("The results are published; survey scores can no longer change."))
        items = {i.code: i for i in scheme.items.filter(kind=ItemKind.SURVEY)}
        assessments = {a.unit.code: a for a in scheme.assessments.select_related("unit")}
        errors: list[str] = []
        updates: list[tuple[Assessment, Item, Decimal | None]] = []
        for number, (unit_code, item_code, value) in enumerate(rows, start=1):
            where = _("Row %(n)s") % {"n": number}
            assessment = assessments.get((unit_code or "").strip())
            item = items.get((item_code or "").strip())
            if assessment is None:
                errors.append(f"{where}: " + _("no scorecard for unit “%(c)s”.") % {"c": unit_code})
                continue
            if item is None:
                errors.append(f"{where}: " + _("“%(c)s” is not a survey item.") % {"c": item_code})
                continue
            try:
                score = parse_points(value, item.code)
                _check_range(item, score)
            except ReformError as exc:
                errors.append(f"{where}: {exc}")
                continue
            updates.append((assessment, item, score))
        if errors:
            raise ReformError(_("Nothing was saved."), errors)
        for assessment, item, score in updates:
            ItemScore.objects.update_or_create(
                assessment=assessment,
                item=item,
                defaults={"appraised_score": score, "appraised_by": actor},
            )
        audit_record(
            actor=actor, action="reform.survey_scores_set", obj=scheme, data={"rows": len(updates)}
        )
        return len(updates)


# --- publication and results ----------------------------------------------------------------------
def unit_totals(assessment: Assessment, leaves: list[Item] | None = None) -> tuple[Totals, Totals]:
    """Scoring totals of a scorecard from the council's scores (self scores for `self` totals)."""
    leaves = leaves if leaves is not None else leaf_items(assessment.scheme)
    scores = {s.item_id: s for s in assessment.scores.all()}

    def build(attr: str) -> Totals:
        return compute(
            Leaf(
                code=item.code,
                field=item.field_code,  # type: ignore[attr-defined]  # set by leaf_items
                kind=item.kind,
                max_points=item.max_points,
                score=getattr(scores[item.pk], attr) if item.pk in scores else None,
                not_applicable=scores[item.pk].not_applicable if item.pk in scores else False,
            )
            for item in leaves
        )

    return build("appraised_score"), build("self_score")


def rerank(scheme: Scheme) -> None:
    """Classification and rank of every result of the scheme (bands and tie policy are data)."""
    ensure_default_bands(scheme)
    bands = [(b.label, b.lower_bound) for b in scheme.bands.all()]
    results = list(scheme.results.all())
    ranks = assign_ranks([r.index_percent for r in results], dense=scheme.tie_policy == "dense")
    for result, rank in zip(results, ranks, strict=True):
        result.rank = rank
        result.classification = classify(result.index_percent, bands)
    Result.objects.bulk_update(results, ["rank", "classification"])


def scheme_publish(*, actor: User, scheme_id: int) -> Scheme:
    """Compute every unit's result from its appraised scorecard, rank, classify and publish."""
    _require_evaluator(actor)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().filter(pk=scheme_id).first()
        if scheme is None:
            raise Http404
        if scheme.is_published:
            raise ReformError(_("These results are already published."))
        assessments = list(scheme.assessments.select_related("unit").prefetch_related("scores"))
        pending = [str(a.unit) for a in assessments if a.status != AssessmentStatus.APPRAISED]
        if not assessments or pending:
            raise ReformError(
                _("Every scorecard must be appraised before publication: %(units)s.")
                % {"units": ", ".join(pending) or "—"}
            )
        leaves = leaf_items(scheme)
        scheme.results.all().delete()
        for assessment in assessments:
            try:
                appraised, own = unit_totals(assessment, leaves)
            except ScoreError as exc:
                raise ReformError(f"{assessment.unit}: {exc}") from exc
            Result.objects.create(
                scheme=scheme,
                unit=assessment.unit,
                source=ResultSource.COMPUTED,
                # Raw points as in the province's tables; only the total is rescaled.
                self_score=q2(own.regular + own.bonus - own.penalty),
                appraised_score=q2(appraised.regular + appraised.bonus - appraised.penalty),
                survey_score=q2(appraised.survey),
                bonus=q2(appraised.bonus),
                penalty=q2(appraised.penalty),
                applicable_max=appraised.applicable_max,
                total=appraised.total,
                index_percent=appraised.index_percent,
                field_indices={k: str(v) for k, v in appraised.field_indices.items()},
            )
        rerank(scheme)
        scheme.status = SchemeStatus.PUBLISHED
        scheme.published_at = timezone.now()
        scheme.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor,
            action="reform.scheme_publish",
            obj=scheme,
            to_state=SchemeStatus.PUBLISHED,
            data={"units": len(assessments)},
        )
        return scheme


@dataclass
class ImportedResult:
    year: int
    block: str
    unit_code: str
    unit_name: str
    total: Decimal
    self_score: Decimal | None = None
    appraised_score: Decimal | None = None
    survey_score: Decimal | None = None


def results_import(*, actor: User | None, rows: list[ImportedResult]) -> dict[str, int]:
    """Store already published results (idempotent: a re-import updates in place), then rerank.

    A scheme missing for (year, block) is created as published with the default bands; a unit
    missing by code is created as a historical entry with the given name.
    """
    with transaction.atomic():
        created = updated = 0
        touched: dict[tuple[int, str], Scheme] = {}
        for row in rows:
            key = (row.year, row.block)
            scheme = touched.get(key)
            if scheme is None:
                scheme, _new = Scheme.objects.get_or_create(
                    year=row.year,
                    block=row.block,
                    defaults={
                        "status": SchemeStatus.PUBLISHED,
                        "published_at": timezone.now(),
                        "name": f"{row.year}",
                    },
                )
                if scheme.assessments.exists():
                    raise ReformError(
                        _(
                            "%(year)s / %(block)s is computed from scorecards; it cannot be imported."
                        )
                        % {"year": row.year, "block": row.block}
                    )
                touched[key] = scheme
            unit = Unit.objects.filter(code=row.unit_code).first()
            if unit is None:
                unit = Unit.objects.create(
                    code=row.unit_code, name=row.unit_name, is_historical=True
                )
            _result, new = Result.objects.update_or_create(
                scheme=scheme,
                unit=unit,
                defaults={
                    "source": ResultSource.IMPORTED,
                    "self_score": row.self_score,
                    "appraised_score": row.appraised_score,
                    "survey_score": row.survey_score,
                    "applicable_max": Decimal(100),
                    "total": row.total,
                    "index_percent": row.total,
                },
            )
            created += int(new)
            updated += int(not new)
        for scheme in touched.values():
            rerank(scheme)
        audit_record(
            actor=actor,
            action="reform.results_import",
            object_type="reform.result",
            data={"created": created, "updated": updated, "schemes": len(touched)},
        )
        return {"created": created, "updated": updated}


# --- gap analysis → action plan ---------------------------------------------------------------------
def action_add(
    *,
    actor: User,
    assessment_id: int,
    title: str,
    owner: str,
    due_date: date,
    item_id: int | None = None,
) -> ActionItem:
    """Add a line to the unit's improvement plan (the unit's reform officer)."""
    with transaction.atomic():
        assessment = get_assessment_for_user(actor, assessment_id, "self_edit")
        item = None
        if item_id:
            item = Item.objects.filter(pk=item_id, scheme_id=assessment.scheme_id).first()
            if item is None:
                raise Http404
        title, owner = (title or "").strip(), (owner or "").strip()
        if not title or not owner or due_date is None:
            raise ReformError(_("An action needs a description, an owner and a due date."))
        action = ActionItem.objects.create(
            assessment=assessment, item=item, title=title, owner=owner, due_date=due_date
        )
        audit_record(actor=actor, action="reform.action_add", obj=action)
        return action


def action_set_status(
    *, actor: User, assessment_id: int, action_id: int, status: str
) -> ActionItem:
    """Move an improvement action to another status."""
    from .choices import ActionStatus

    with transaction.atomic():
        assessment = get_assessment_for_user(actor, assessment_id, "self_edit")
        action = (
            ActionItem.objects.select_for_update()
            .filter(pk=action_id, assessment=assessment)
            .first()
        )
        if action is None:
            raise Http404
        if status not in ActionStatus.values:
            raise ReformError(_("Unknown status."))
        old = action.status
        action.status = status
        action.save(update_fields=["status"])
        audit_record(
            actor=actor, action="reform.action_status", obj=action, from_state=old, to_state=status
        )
        return action


def scheme_open(*, actor: User, scheme_id: int) -> Scheme:
    """Open a draft scheme for self-assessment (the council)."""
    _require_evaluator(actor)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().filter(pk=scheme_id).first()
        if scheme is None:
            raise Http404
        if scheme.status != SchemeStatus.DRAFT:
            raise ReformError(_("Only a draft scheme can be opened."))
        if not scheme.items.exists():
            raise ReformError(_("The scheme has no criteria."))
        ensure_default_bands(scheme)
        scheme.status = SchemeStatus.OPEN
        scheme.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="reform.scheme_open",
            obj=scheme,
            from_state=SchemeStatus.DRAFT,
            to_state=SchemeStatus.OPEN,
        )
        return scheme
