from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class OntimeForm(forms.Form):
    """Period and unit of the II.06a report (GET, bookmarkable)."""

    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.CharField(label=_("Unit"), required=False, widget=forms.Select)
    group_by = forms.ChoiceField(
        label=_("One row per"),
        required=False,
        choices=[("unit", _("unit")), ("field", _("field")), ("procedure", _("procedure"))],
    )
    rollup = forms.BooleanField(
        label=_("Roll historical units up to their successors"), required=False
    )
    # DOMAIN §6: the rule profile the figures are counted with (empty: the department's default).
    profile = forms.ChoiceField(label=_("Rule profile"), required=False)

    def __init__(
        self,
        *args,
        unit_choices: list[tuple[str, str]],
        profile_choices: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [("", _("All my units")), *unit_choices]
        self.fields["profile"].choices = [("", _("The department's default")), *profile_choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        if start and end and (end - start).days > 3660:
            raise ValidationError(_("The period may not be longer than ten years."))
        return data

    @staticmethod
    def default_period(today: date) -> dict[str, date]:
        return {"date_from": date(today.year, 1, 1), "date_to": today}
