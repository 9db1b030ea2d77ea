"""The simplification-plan editor's forms: the plan, then per phase its costs and activity rows.

Rows are a formset that works without JavaScript: blank rows are ignored, a row is removed by ticking
"Remove", and the "Add a row" buttons post the form back with one more blank row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from motcua.core.numbers import format_number
from motcua.procedures.models import Procedure

from .choices import Phase
from .cost_plans import (
    DOSSIERS_MAX,
    HOURS_MAX,
    MAX_ACTIVITIES,
    MONEY_MAX,
    PHASES,
    ActivityInput,
    AmountError,
    PhaseInput,
    PlanInput,
    hourly_income_from,
    read_amount,
)

AMOUNT_MESSAGES = {
    "not_a_number": _(
        "“%(value)s” is not a number. Write digits; thousands may be grouped with dots "
        "(5.456.000) and decimals written after a comma (1,5)."
    ),
    "negative": _("“%(value)s” is negative; enter 0 or more."),
    "decimals": _("“%(value)s” has more than %(places)s decimals."),
    "whole": _("“%(value)s” is not a whole number."),
    "too_large": _("“%(value)s” is too large; the most allowed is %(max)s."),
}


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def plain(value: Decimal | int | None) -> str:
    """An amount as the editor shows it and reads it back: 31.000 / 1,5 / 24 (Vietnamese)."""
    if value is None:
        return ""
    return format_number(Decimal(value))


class AmountField(forms.Field):
    """A non-negative amount read by `cost_plans.read_amount` (`cost.parse_amount`'s rules)."""

    widget = forms.TextInput

    def __init__(self, *, limit: Decimal, places: int = 2, **kwargs):
        self.limit, self.places = limit, places
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "inputmode": "decimal" if self.places else "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )
        return attrs

    def prepare_value(self, value):
        return plain(value) if isinstance(value, Decimal | int) else value

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        if text in self.empty_values:
            return None
        try:
            return read_amount(text, limit=self.limit, places=self.places)
        except AmountError as exc:
            raise ValidationError(
                AMOUNT_MESSAGES[exc.code],
                code=exc.code,
                params={"value": _shown(text), **exc.params},
            ) from None


def _label(model_field: str):
    from django.db.models import Field

    from .models import SimplificationPlan

    column = cast(Field, SimplificationPlan._meta.get_field(model_field))
    return capfirst(column.verbose_name)


class PlanForm(forms.Form):
    """The plan's own values; `procedure` only when a plan is created."""

    procedure = forms.ModelChoiceField(
        label=capfirst(_("procedure")), queryset=Procedure.objects.none()
    )
    year = forms.IntegerField(label=_label("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_label("title"), max_length=500)
    income = AmountField(label=_("Average income (VND)"), limit=MONEY_MAX)
    income_per = forms.ChoiceField(
        label=_("The income entered is"),
        choices=[("hour", _("per hour")), ("month", _("per month (divided by 22 × 8 hours)"))],
        widget=forms.RadioSelect,
        initial="hour",
    )
    income_source = forms.CharField(label=_label("income_source"), max_length=500)
    dossiers_per_year = AmountField(label=_label("dossiers_per_year"), limit=DOSSIERS_MAX, places=0)
    dossiers_source = forms.CharField(label=_label("dossiers_source"), max_length=255)
    state = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if procedures is None:
            del self.fields["procedure"]
        else:
            cast(forms.ModelChoiceField, self.fields["procedure"]).queryset = procedures


class PhaseForm(forms.Form):
    """Fees and other costs per dossier of one phase; empty means 0."""

    fees = AmountField(label=capfirst(_("fees per dossier (VND)")), limit=MONEY_MAX, required=False)
    other_costs = AmountField(
        label=capfirst(_("other costs per dossier (VND)")), limit=MONEY_MAX, required=False
    )


class ActivityForm(forms.Form):
    """One activity and its hours per dossier; a blank row is ignored."""

    name = forms.CharField(label=capfirst(_("activity")), max_length=500, required=False)
    hours = AmountField(label=_("Hours per dossier"), limit=HOURS_MAX, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        name, hours = data.get("name"), data.get("hours")
        if hours is not None and not name:
            self.add_error("name", _("Enter the name of the activity."))
        if name and hours is None and "hours" not in self.errors:
            self.add_error("hours", _("Enter the hours per dossier."))
        return data


class BaseActivityFormSet(forms.BaseFormSet):
    def clean(self):
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if len(filled) > MAX_ACTIVITIES:
            raise ValidationError(
                _("At most %(n)s activities per phase.") % {"n": MAX_ACTIVITIES},
                code="too_many_forms",
            )


# Blank rows do not count towards MAX_ACTIVITIES, so Django's validate_max (which counts them) is
# off; absolute_max only bounds the work a forged TOTAL_FORMS can cause.
ActivityFormSet = forms.formset_factory(
    ActivityForm,
    formset=BaseActivityFormSet,
    extra=0,
    can_delete=True,
    max_num=1000,
    absolute_max=1000,
)


def _rows_prefix(phase: str) -> str:
    return f"{phase}-rows"


def normalise(post, *, add: str | None = None) -> dict[str, str]:
    """The posted form with rows ticked "Remove" dropped and a blank row after the last one
    (two after the phase named by `add`); rows renumbered, so the formset sees no initial forms."""
    data = post.dict() if hasattr(post, "dict") else dict(post)
    for phase in PHASES:
        prefix = _rows_prefix(phase)
        try:
            total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
        except ValueError:
            continue  # left to the formset: "ManagementForm data is missing or has been tampered with"
        total = max(0, min(total, ActivityFormSet.absolute_max))
        rows = []
        for i in range(total):
            name = data.pop(f"{prefix}-{i}-name", "")
            hours = data.pop(f"{prefix}-{i}-hours", "")
            if data.pop(f"{prefix}-{i}-DELETE", ""):
                continue
            rows.append((name, hours))
        while rows and not any(v.strip() for v in rows[-1]):
            rows.pop()
        blanks = 2 if add == phase else 1
        rows = rows[: ActivityFormSet.absolute_max - blanks] + [("", "")] * blanks
        for i, (name, hours) in enumerate(rows):
            data[f"{prefix}-{i}-name"] = name
            data[f"{prefix}-{i}-hours"] = hours
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


class PhaseBlock:
    """One phase of the editor: its label, costs form and activity rows."""

    def __init__(self, phase: str, data, initial: PhaseInput | None, blank_rows: int):
        self.phase = phase
        self.label = Phase(phase).label
        self.form = PhaseForm(
            data,
            prefix=phase,
            initial={"fees": initial.fees, "other_costs": initial.other_costs} if initial else None,
        )
        rows = [{"name": a.name, "hours": a.hours} for a in initial.activities] if initial else []
        self.rows = ActivityFormSet(
            data, prefix=_rows_prefix(phase), initial=rows + [{}] * blank_rows
        )

    def is_valid(self) -> bool:
        return self.form.is_valid() & self.rows.is_valid()

    def to_input(self) -> PhaseInput:
        costs = self.form.cleaned_data
        activities = tuple(
            ActivityInput(form.cleaned_data["name"], form.cleaned_data["hours"])
            for form in self.rows.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        )
        return PhaseInput(
            fees=costs["fees"] or Decimal(0),
            other_costs=costs["other_costs"] or Decimal(0),
            activities=activities,
        )


class PlanEditor:
    """The whole editor: a plan form and a block per phase; valid together or not at all."""

    def __init__(
        self,
        data=None,
        *,
        procedures=None,
        initial: PlanInput | None = None,
        initial_extra: dict | None = None,
        add: str | None = None,
    ):
        if data is not None:
            data = normalise(data, add=add)
        plan_initial = dict(initial_extra or {})
        if initial is not None:
            plan_initial.update(
                year=initial.year,
                title=initial.title,
                income=initial.hourly_income,
                income_per="hour",
                income_source=initial.income_source,
                dossiers_per_year=initial.dossiers_per_year,
                dossiers_source=initial.dossiers_source,
            )
        self.plan = PlanForm(data, initial=plan_initial, procedures=procedures)
        self.phases = [
            PhaseBlock(phase, data, initial.phase(phase) if initial else None, blank_rows=2)
            for phase in PHASES
        ]

    def is_valid(self) -> bool:
        valid = self.plan.is_valid()
        for block in self.phases:
            valid = block.is_valid() and valid
        return valid

    def add_error(self, message) -> None:
        self.plan.add_error(None, message)

    def to_input(self) -> PlanInput:
        data = self.plan.cleaned_data
        monthly = data["income"] if data["income_per"] == "month" else None
        return PlanInput(
            year=data["year"],
            title=data["title"],
            hourly_income=hourly_income_from(data["income"], data["income_per"]),
            income_source=data["income_source"],
            dossiers_per_year=int(data["dossiers_per_year"]),
            dossiers_source=data["dossiers_source"],
            phases={block.phase: block.to_input() for block in self.phases},
            monthly_income=monthly,
        )

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(where, message, id of the field) for every error, in the page's order."""
        out: list[tuple[str, str, str]] = []
        for message in self.plan.non_field_errors():
            out.append(("", str(message), ""))
        for name, errors in self.plan.errors.items():
            if name == "__all__":
                continue
            bound = self.plan[name]
            out += [(str(bound.label), str(e), bound.auto_id) for e in errors]
        for block in self.phases:
            phase = capfirst(str(block.label))
            for name, errors in block.form.errors.items():
                bound = block.form[name]
                out += [(f"{phase} – {bound.label}", str(e), bound.auto_id) for e in errors]
            for message in block.rows.non_form_errors():
                out.append((phase, str(message), ""))
            for number, form in enumerate(block.rows.forms, start=1):
                for name, errors in form.errors.items():
                    if name == "__all__":
                        where, field_id = f"{phase} – {number}", ""
                    else:
                        bound = form[name]
                        where = f"{phase} – {number} – {bound.label}"
                        field_id = bound.auto_id
                    out += [(where, str(e), field_id) for e in errors]
        return out
