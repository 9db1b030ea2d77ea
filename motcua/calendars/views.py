"""The public deadline calculator page (/tinh-han/)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from motcua.worktime import WorktimeError, get_calendar

from .deadline import compute
from .forms import DeadlineForm


def calculator(request):
    """GET form: the answer is bookmarkable and needs no account."""
    answer = None
    day_sessions = None
    if "start" in request.GET:
        form = DeadlineForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            start = timezone.localtime(data["start"]).replace(tzinfo=None)
            try:
                answer = compute(
                    start=start,
                    hours=data["amount"] if data["unit"] == "hours" else None,
                    days=data["amount"] if data["unit"] == "days" else None,
                    calendar=data["calendar"],
                    end_of_day=data["end_of_day"],
                    same_day_cutoff=data["same_day_cutoff"],
                )
                day_sessions = get_calendar(answer.calendar).sessions_on(answer.due.date())
            except WorktimeError as exc:
                # The engine's reason in the reader's language (str(exc) is always Vietnamese).
                form.add_error(None, exc.message(get_language()))
    else:
        form = DeadlineForm(
            initial={"start": timezone.localtime().replace(second=0, microsecond=0)}
        )
    return render(
        request,
        "calendars/calculator.html",
        {"form": form, "answer": answer, "due_day_sessions": day_sessions},
        status=200 if answer is not None or not form.errors else 400,
    )
