"""GET /api/v1/worktime/deadline — the deadline calculator as JSON."""

from django.utils.translation import get_language
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from motcua.worktime import WorktimeError, calendar_names

from .deadline import compute, parse_amount, parse_start

router = Router(tags=["worktime"])


class DeadlineOut(Schema):
    start: str
    due: str
    working_minutes: int
    calendar: str


class WorktimeErrorOut(Schema):
    detail: str
    #: Stable error code of the engine (motcua/worktime/messages.py), e.g. "out_of_range".
    code: str


@router.get("/deadline", response={200: DeadlineOut, 400: WorktimeErrorOut}, auth=None)
def deadline(
    request,
    start: str,
    hours: str | None = None,
    days: str | None = None,
    calendar: str = "hue",
    end_of_day: bool = False,
    same_day_cutoff: bool = False,
):
    """Due time after `hours` working hours or `days` working days from `start` (ISO 8601).

    Naive times are Asia/Ho_Chi_Minh. A start outside working time counts from the next opening.
    Errors (400) come with a stable `code`; `detail` is in the language asked for with
    `Accept-Language` (Vietnamese by default, English for "en").
    """
    try:
        answer = compute(
            start=parse_start(start),
            hours=parse_amount(hours, "hours"),
            days=parse_amount(days, "days"),
            calendar=calendar,
            end_of_day=end_of_day,
            same_day_cutoff=same_day_cutoff,
        )
    except WorktimeError as exc:
        return Status(400, {"detail": exc.message(get_language()), "code": exc.code})
    return Status(200, answer.as_json())


@router.get("/calendars", response=list[str], auth=None)
def calendars(request):
    """Names of the calendars the deadline endpoint accepts."""
    try:
        return calendar_names()
    except WorktimeError as exc:  # pragma: no cover - data files are shipped with the code
        raise HttpError(500, exc.message(get_language())) from exc
