from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.validators import validate_phone
from motcua.dossiers.tracking import FactorField

from .choices import INDICES, FeedbackKind, FeedbackTopic, Overall, Score, SenderVerdict


class FactorMixin(forms.Form):
    # The second factor of tracking: the full phone or ID number (issue 13, gap 10).
    factor = FactorField()


class RatingForm(FactorMixin):
    """The questions of DOMAIN §8: 2 overall on a 3-point scale, 9 indices scored 2/1/0."""

    overall_service = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with the service?"),
        choices=Overall.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    overall_result = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with the result?"),
        choices=Overall.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, need_factor: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in INDICES:
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=Score.choices, coerce=int, widget=forms.RadioSelect
            )
        if not need_factor:
            del self.fields["factor"]
        # Questions first, the second factor last (it is only the proof of being the applicant).
        order = ["overall_service", "overall_result", *(n for n, _l in INDICES), "comment"]
        self.order_fields([*order, "factor"])


class FeedbackForm(forms.Form):
    unit = forms.ChoiceField(label=_("Agency"))
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    dossier_code = forms.CharField(
        label=_("Dossier code (if it is about a dossier)"), required=False, max_length=40
    )
    sender_name = forms.CharField(label=_("Your name"), max_length=200)
    sender_phone = forms.CharField(label=_("Phone"), max_length=20)
    sender_email = forms.EmailField(label=_("Email (optional)"), required=False)
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices

    def clean_sender_phone(self) -> str:
        result = validate_phone(self.cleaned_data["sender_phone"])
        if not result.ok:
            raise forms.ValidationError(result.errors)
        return result.national


class AnswerLookupForm(FactorMixin):
    code = forms.CharField(label=_("Reference"), max_length=30)
    factor = FactorField(label=_("Mobile phone number you gave"))


class VerdictForm(AnswerLookupForm):
    verdict = forms.ChoiceField(
        label=_("Are you satisfied with the answer?"),
        choices=SenderVerdict.choices,
        widget=forms.RadioSelect,
    )


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Officer"), coerce=int)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(u.pk, u.full_name) for u in officers]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=10000, widget=forms.Textarea)


class ClassifyForm(forms.Form):
    topic = forms.ChoiceField(label=_("The feedback is about"), choices=FeedbackTopic.choices)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"), max_length=5000, widget=forms.Textarea
    )


class InfoRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Information needed from the sender"), max_length=5000, widget=forms.Textarea
    )
