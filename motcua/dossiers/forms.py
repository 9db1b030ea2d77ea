"""Forms of the staff pages: worklist filters, intake, and one small form per workflow action."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.idforms import clean_identity, id_type_field
from motcua.core.validators import validate_phone
from motcua.orgs.models import Membership, Unit
from motcua.procedures.choices import DocumentCondition
from motcua.procedures.models import Procedure

from .attachments import AttachmentError, check_file
from .choices import AttachmentKind, Channel, ResultDelivery
from .models import OPEN_STATUSES
from .services import Applicant, DocumentLine
from .workflow import Action

#: Statuses shown on the worklist: everything still waiting for someone (issue 3).
WORKLIST_STATUSES = OPEN_STATUSES
#: Actions whose reason is mandatory (services refuse them without a note).
NOTE_REQUIRED = frozenset(
    {
        Action.REFUSE,
        Action.REQUEST_SUPPLEMENT,
        Action.RETURN_STEP,
        Action.STOP,
        Action.WITHDRAW,
        Action.APOLOGISE,
    }
)


class PersonChoiceField(forms.ModelChoiceField):
    """Officials by their names in Vietnamese order, never by login name (issue 14)."""

    def label_from_instance(self, obj) -> str:
        return obj.full_name


class WorklistFilterForm(forms.Form):
    """GET filters of the worklist; every field optional."""

    q = forms.CharField(label=_("Code or applicant"), required=False, max_length=100)
    status = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All"))] + [(s.value, s.label) for s in WORKLIST_STATUSES],
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        required=False,
        queryset=Procedure.objects.none(),
        empty_label=_("All"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All"))] + list(Channel.choices)
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, unit_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.filter(unit_id__in=unit_ids).only(
            "pk", "code", "name"
        )


class ProcedurePickForm(forms.Form):
    """First step of intake: which procedure (of the clerk's units)."""

    procedure = forms.ModelChoiceField(label=_("Procedure"), queryset=Procedure.objects.none())

    def __init__(self, *args, unit_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = intake_procedures(unit_ids)


def intake_procedures(unit_ids):
    return Procedure.objects.filter(unit_id__in=unit_ids, active=True).order_by("code")


class ApplyingFor(models.TextChoices):
    """Who the applicant applies for: the documents marked "only when on someone else's
    behalf" in the catalogue (the authorisation letter) are required only for the second."""

    SELF = "self", _("For myself")
    BEHALF = "behalf", _("On someone else's behalf (with an authorisation letter)")


def applying_for_field() -> forms.ChoiceField:
    # Shown with "for myself" chosen; a form posted without it (older clients) applies for
    # oneself, which asks for nothing more.
    return forms.ChoiceField(
        label=_("Who are you applying for?"),
        choices=ApplyingFor.choices,
        initial=ApplyingFor.SELF,
        required=False,
        widget=forms.RadioSelect,
    )


def conditional_documents_error(form, rows) -> None:
    """rows: (document, form field name, given?). A document asked for only on someone else's
    behalf (the authorisation letter) is required then, if mandatory, and refused for an
    applicant who applies for themselves, so that the dossier says what was really given."""
    behalf = form.cleaned_data.get("applying_for") == ApplyingFor.BEHALF
    for doc, field_name, given in rows:
        if doc.condition != DocumentCondition.ON_BEHALF:
            continue
        if behalf and doc.mandatory and not given:
            form.add_error(
                field_name, _("Applying on someone else's behalf: this document is required.")
            )
        elif not behalf and given:
            form.add_error(
                field_name,
                _(
                    "This document is only for applying on someone else's behalf: remove it, "
                    "or choose that you apply on someone else's behalf."
                ),
            )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked against the allow-list by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors = []
        for uploaded in cleaned:
            try:
                check_file(uploaded)
            except AttachmentError as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def store_label(attachment) -> str:
    """How an earlier file is offered: name, the dossier it came from, result or submitted."""
    kind = _("a result") if attachment.kind == AttachmentKind.RESULT else _("a submitted document")
    return (
        f"{attachment.original_name} · {attachment.dossier.code} "
        f"({attachment.dossier.procedure.name}, {kind}, {timezone.localtime(attachment.uploaded_at):%d/%m/%Y})"
    )


class IntakeForm(forms.Form):
    """Counter or post intake of a complete dossier (form 01 data)."""

    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=200)
    # DOMAIN §12: a document type and a number (CCCD, CMND, passport, enterprise code, other).
    applicant_id_type = id_type_field()
    applicant_id_number = forms.CharField(
        label=_("Identity document number"), max_length=30, required=False
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
        initial=Channel.COUNTER,
    )
    sets_count = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=50, initial=1)
    result_delivery = forms.ChoiceField(
        label=_("Result delivery"), choices=ResultDelivery.choices, initial=ResultDelivery.DESK
    )
    attachments = MultipleFileField(
        label=_("Scanned documents (PDF, JPEG, PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, procedure: Procedure, store=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.warnings: list[str] = []
        self.required_documents = list(procedure.documents.all())
        self.checklist = []
        # Issue 15 (DOMAIN §7, 4.2–4.3): each component can be scanned into the dossier, or
        # taken from the applicant's earlier digitised documents and results (`store`).
        self.store = list(store)
        reuse_choices = [("", _("— do not reuse —"))] + [(a.pk, store_label(a)) for a in self.store]
        self.fields["applying_for"] = applying_for_field()
        for doc in self.required_documents:
            # Ticked by default, except what is asked for only on someone else's behalf.
            check = forms.BooleanField(
                label=doc.name,
                required=False,
                initial=doc.condition != DocumentCondition.ON_BEHALF,
            )
            count = forms.IntegerField(
                label=_("Count"), min_value=1, max_value=99, initial=doc.count, required=False
            )
            self.fields[f"doc_{doc.pk}"] = check
            self.fields[f"doc_{doc.pk}_count"] = count
            self.fields[f"doc_{doc.pk}_file"] = MultipleFileField(
                label=_("Scan of %(name)s") % {"name": doc.name},
                required=False,
                widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            )
            if self.store:
                self.fields[f"doc_{doc.pk}_reuse"] = forms.TypedChoiceField(
                    label=_("Reuse an earlier document for %(name)s") % {"name": doc.name},
                    choices=reuse_choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
            self.checklist.append((doc, f"doc_{doc.pk}", f"doc_{doc.pk}_count"))

    def checklist_rows(self):
        return [
            (
                doc,
                self[check],
                self[count],
                self[f"{check}_file"],
                self[f"{check}_reuse"] if f"{check}_reuse" in self.fields else None,
            )
            for doc, check, count in self.checklist
        ]

    def component_inputs(self) -> list[tuple[int, list, int | None]]:
        """Per ticked component, in checklist order: (index among the ticked ones, scans, id of
        the earlier file to reuse)."""
        d = self.cleaned_data
        out = []
        ticked = [c for _doc, c, _n in self.checklist if d.get(c)]
        for index, check in enumerate(ticked):
            out.append((index, d.get(f"{check}_file") or [], d.get(f"{check}_reuse")))
        return out

    def clean_applicant_name(self):
        name = " ".join(self.cleaned_data["applicant_name"].split())
        if not name:
            raise forms.ValidationError(_("The applicant's name is required."))
        return name

    def clean_applicant_phone(self):
        raw = self.cleaned_data["applicant_phone"].strip()
        if not raw:
            return ""
        result = validate_phone(raw)
        if not result.ok:
            raise forms.ValidationError(result.errors)
        return result.national

    def clean(self):
        data = super().clean()
        # DOMAIN §12: validated per type; an unknown CCCD prefix is a warning, not a refusal.
        clean_identity(self, type_field="applicant_id_type", number_field="applicant_id_number")
        for doc, check, count in self.checklist:
            if data.get(check) and not data.get(count):
                data[count] = doc.count
        if self.required_documents and not any(data.get(c) for _d, c, _n in self.checklist):
            raise forms.ValidationError(_("Tick the documents the applicant submitted."))
        for doc, check, _n in self.checklist:
            given = data.get(f"{check}_file") or data.get(f"{check}_reuse")
            if given and not data.get(check):
                self.add_error(
                    check,
                    _("Tick “%(name)s” as submitted, or remove its scan or reused document.")
                    % {"name": doc.name},
                )
        conditional_documents_error(
            self, [(doc, check, bool(data.get(check))) for doc, check, _n in self.checklist]
        )
        return data

    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(
            name=d["applicant_name"],
            id_type=d["applicant_id_type"],
            id_number=d["applicant_id_number"],
            phone=d["applicant_phone"],
            email=d["applicant_email"],
            address=d["applicant_address"].strip(),
        )

    def documents(self) -> list[DocumentLine]:
        d = self.cleaned_data
        return [
            DocumentLine(name=doc.name, form=doc.form, count=d.get(count) or doc.count)
            for doc, check, count in self.checklist
            if d.get(check)
        ]


class ActionForm(forms.Form):
    """The inputs of one workflow action; which fields exist depends on the action."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee = PersonChoiceField(
        label=_("Assign to"), required=False, queryset=get_user_model().objects.none()
    )
    to_unit = forms.ModelChoiceField(
        label=_("Coordinating agency"), required=False, queryset=Unit.objects.none()
    )
    transfer_hours = forms.DecimalField(
        label=_("Its time slot (working hours)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal(2000),
        decimal_places=2,
    )
    new_appointment = forms.DateTimeField(
        label=_("New appointment"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    # DOMAIN §4, §7 2.1: shown only for a second supplement request after reception.
    confirm_late = forms.BooleanField(
        label=_(
            "I understand: a second supplement request makes this dossier count as late in the "
            "national index."
        ),
        required=False,
    )

    FIELDS = {
        Action.REQUEST_SUPPLEMENT: ("note", "confirm_late"),
        Action.FORWARD: ("assignee", "note"),
        Action.RETURN_STEP: ("note",),
        Action.TRANSFER: ("to_unit", "transfer_hours", "note"),
        Action.APOLOGISE: ("new_appointment", "note"),
    }

    def __init__(
        self,
        *args,
        action: str,
        dossier=None,
        assignee_role: str | None = None,
        units=None,
        **kw,
    ):
        """`units`: the transfer choices when the page already read them (no query to render)."""
        super().__init__(*args, **kw)
        self.action = action
        keep = self.FIELDS.get(action, ("note",))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.order_fields(keep)
        if "confirm_late" in self.fields and not (
            dossier is not None and dossier.received_at and dossier.supplement_requests >= 1
        ):
            del self.fields["confirm_late"]
        if action in NOTE_REQUIRED:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason")
        if "assignee" in self.fields and dossier is not None and assignee_role:
            self.fields["assignee"].queryset = (
                get_user_model()
                .objects.filter(
                    pk__in=Membership.objects.filter(
                        unit_id=dossier.unit_id, role=assignee_role
                    ).values("user_id"),
                    is_active=True,
                )
                .order_by("first_name", "last_name", "username")
            )
        if "to_unit" in self.fields:
            self.fields["to_unit"].required = True
            self.fields["transfer_hours"].required = True
            queryset = (
                Unit.objects.filter(is_historical=False)
                .exclude(valid_to__lt=timezone.localdate())
                .order_by("name")
            )
            if dossier is not None:
                queryset = queryset.exclude(pk=dossier.unit_id)
            self.fields["to_unit"].queryset = queryset
            if units is not None:
                field = self.fields["to_unit"]
                empty = [("", field.empty_label)] if field.empty_label is not None else []
                field.choices = empty + [
                    (unit.pk, field.label_from_instance(unit)) for unit in units
                ]
        if "new_appointment" in self.fields:
            self.fields["new_appointment"].required = True

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = {"note": d.get("note", "").strip()}
        if d.get("assignee") is not None:
            kwargs["assignee"] = d["assignee"]
        if d.get("to_unit") is not None:
            kwargs["to_unit"] = d["to_unit"]
        if d.get("transfer_hours") is not None:
            kwargs["transfer_hours"] = float(d["transfer_hours"])
        if d.get("new_appointment") is not None:
            kwargs["new_appointment"] = d["new_appointment"]
        if d.get("confirm_late"):
            kwargs["confirm_late"] = True
        return kwargs
