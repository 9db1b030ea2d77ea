"""GET /api/v1/worktime/deadline — the deadline calculator as JSON."""

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


class ErrorOut(Schema):
    detail: str


@router.get("/deadline", response={200: DeadlineOut, 400: ErrorOut}, auth=None)
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
    """
    try:
        answer = compute(
            start=parse_start(start),
            hours=parse_amount(hours, "giờ"),
            days=parse_amount(days, "ngày"),
            calendar=calendar,
            end_of_day=end_of_day,
            same_day_cutoff=same_day_cutoff,
        )
    except WorktimeError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, answer.as_json())


@router.get("/calendars", response=list[str], auth=None)
def calendars(request):
    """Names of the calendars the deadline endpoint accepts."""
    try:
        return calendar_names()
    except WorktimeError as exc:  # pragma: no cover - data files are shipped with the code
        raise HttpError(500, str(exc)) from exc
