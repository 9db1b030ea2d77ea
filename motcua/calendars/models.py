"""Working calendars editable by administrators (DOMAIN §13): schedules and official day overrides."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.worktime import CalendarSpecError, Session
from motcua.worktime.loader import builtin_names


def _builtin_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in builtin_names()]


def parse_int_list(text: str, low: int, high: int) -> list[int]:
    """'1-3,10' → [1, 2, 3, 10]; raises ValueError on anything outside [low, high]."""
    values: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        a, b = int(first), int(last or first)
        if a > b or a < low or b > high:
            raise ValueError(part)
        values.update(range(a, b + 1))
    if not values:
        raise ValueError(text)
    return sorted(values)


class WorkCalendar(models.Model):
    """A named working calendar; may start from a built-in calendar and refine it."""

    name = models.SlugField(_("calendar code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    base = models.CharField(
        _("built-in base calendar"),
        max_length=50,
        blank=True,
        help_text=_(
            "Schedules and official days of this built-in calendar apply unless this calendar "
            "defines its own schedule periods."
        ),
    )
    holiday_country = models.CharField(
        _("statutory holidays of country"), max_length=2, default="VN", blank=True
    )
    hours_per_day = models.PositiveSmallIntegerField(_("working hours per working day"), default=8)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_day__gt=0), name="calendar_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.name})"

    def clean(self) -> None:
        if self.base and self.base not in builtin_names():
            raise ValidationError({"base": _("There is no built-in calendar with this name.")})


class SchedulePeriod(models.Model):
    """One season of a schedule in force from `valid_from` (rows with the same start form a period)."""

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="periods")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    months = models.CharField(
        _("months"), max_length=40, default="1-12", help_text=_("e.g. 1-12, or 4-9 for summer")
    )
    weekdays = models.CharField(
        _("working weekdays"), max_length=20, default="0-4", help_text=_("0 = Monday … 6 = Sunday")
    )
    sessions = models.CharField(
        _("sessions"), max_length=100, help_text=_("e.g. 07:30-11:30, 13:00-17:00")
    )
    source = models.CharField(_("source document"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schedule period")
        verbose_name_plural = _("schedule periods")
        ordering = ["calendar", "valid_from", "months"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="period_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.calendar.name} {self.valid_from} [{self.months}] {self.sessions}"

    def month_list(self) -> list[int]:
        return parse_int_list(self.months, 1, 12)

    def weekday_list(self) -> list[int]:
        return parse_int_list(self.weekdays, 0, 6)

    def session_list(self) -> list[Session]:
        return [Session.parse(s) for s in self.sessions.split(",") if s.strip()]

    def clean(self) -> None:
        errors = {}
        for field, parse in (
            ("months", self.month_list),
            ("weekdays", self.weekday_list),
            ("sessions", self.session_list),
        ):
            try:
                if not parse():
                    raise ValueError
            except (ValueError, CalendarSpecError):
                errors[field] = _("Invalid value.")
        if errors:
            raise ValidationError(errors)


class DayOverride(models.Model):
    """An official decision: a date off or a make-up working day, for one calendar or for all."""

    calendar = models.ForeignKey(
        WorkCalendar,
        on_delete=models.CASCADE,
        related_name="overrides",
        null=True,
        blank=True,
        help_text=_("Empty: applies to every calendar (a national decision)."),
    )
    date = models.DateField(_("date"))
    working = models.BooleanField(
        _("working day"), help_text=_("Ticked: a make-up working day. Unticked: a day off.")
    )
    source_document = models.CharField(_("source document"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("day off / make-up working day")
        verbose_name_plural = _("days off / make-up working days")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                condition=Q(calendar__isnull=False),
                name="override_unique_per_calendar",
            ),
            models.UniqueConstraint(
                fields=["date"], condition=Q(calendar__isnull=True), name="override_unique_national"
            ),
        ]

    def __str__(self) -> str:
        kind = _("working day") if self.working else _("day off")
        return f"{self.date:%d/%m/%Y} – {kind}"
