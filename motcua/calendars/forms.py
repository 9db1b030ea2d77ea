from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.worktime import calendar_names


class DeadlineForm(forms.Form):
    """The public deadline calculator."""

    UNIT_CHOICES = [("hours", _("working hours")), ("days", _("working days"))]

    start = forms.DateTimeField(
        label=_("Received at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    amount = forms.DecimalField(
        label=_("Processing time"), min_value=0, max_digits=7, decimal_places=2
    )
    unit = forms.ChoiceField(label=_("Time unit"), choices=UNIT_CHOICES, initial="days")
    calendar = forms.ChoiceField(label=_("Calendar"), initial="hue")
    end_of_day = forms.BooleanField(
        label=_("Due at the end of the last working day"), required=False
    )
    same_day_cutoff = forms.BooleanField(
        label=_("Apply the 15:00 cut-off (received after 15:00 counts from the next working day)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].choices = [(n, n) for n in calendar_names()]
