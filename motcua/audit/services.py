"""Writes to the audit trail. Other apps call these inside their own transactions."""

from __future__ import annotations

from typing import Any

from django.db import models

from motcua.audit.models import AuditEvent, PersonalDataAccess


def _user_or_none(user: Any) -> Any:
    """Anonymous users are recorded as no actor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event; `obj` (a model instance) fills object_type and object_id."""
    if not action:
        raise ValueError("audit_record needs an action.")
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    return AuditEvent.objects.create(
        actor=_user_or_none(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
        ip=ip or None,
    )


def personal_data_access_record(
    *,
    actor: Any,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    purpose: str,
    ip: str | None = None,
) -> PersonalDataAccess:
    """Append one personal-data access entry; a purpose is mandatory."""
    if not purpose:
        raise ValueError("A personal-data access needs a purpose.")
    if subject is not None:
        subject_type, subject_id = _object_ref(subject)
    if not subject_type or subject_id == "":
        raise ValueError("A personal-data access needs a subject.")
    return PersonalDataAccess.objects.create(
        who=_user_or_none(actor),
        subject_type=subject_type,
        subject_id=str(subject_id),
        purpose=purpose,
        ip=ip or None,
    )
