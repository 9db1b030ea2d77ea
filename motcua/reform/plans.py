"""Simplification-plan reports: cost before/after, the procedure's statutory and actual times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.dossiers.models import Dossier
from motcua.worktime import WorktimeError, get_calendar

from .choices import Phase
from .cost import Comparison, compare, money, yearly_cost
from .models import SimplificationPlan


def dossiers_received_in(procedure, year: int) -> int:
    """Dossiers of the procedure received in a calendar year (local time)."""
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    return Dossier.objects.filter(
        procedure=procedure, received_at__gte=start, received_at__lt=end
    ).count()


def average_working_hours(procedure, year: int | None = None) -> tuple[Decimal | None, int]:
    """Average working hours between reception and settlement of settled dossiers, and how many."""
    qs = Dossier.objects.filter(
        procedure=procedure, received_at__isnull=False, finished_at__isnull=False
    )
    if year is not None:
        qs = qs.filter(received_at__year=year)
    calendar = get_calendar(procedure.effective_calendar)
    minutes, count = 0, 0
    for received, finished in qs.values_list("received_at", "finished_at").iterator():
        try:
            minutes += calendar.working_minutes(received, finished)
        except WorktimeError:
            continue  # outside the calendar's range: not counted
        count += 1
    if not count:
        return None, 0
    hours = Decimal(minutes) / Decimal(60) / Decimal(count)
    return hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), count


@dataclass
class PlanReport:
    plan: SimplificationPlan
    hours_before: Decimal
    hours_after: Decimal
    comparison: Comparison
    statutory: str
    average_hours: Decimal | None
    settled_count: int

    def table(self) -> list[tuple[str, str]]:
        plan = self.plan
        return [
            ("Thủ tục", f"{plan.procedure.code} – {plan.procedure.name}"),
            ("Thời hạn giải quyết theo quy định", self.statutory),
            (
                "Thời gian giải quyết thực tế bình quân (giờ làm việc)",
                f"{self.average_hours} ({self.settled_count} hồ sơ)"
                if self.average_hours is not None
                else "chưa có hồ sơ đã giải quyết",
            ),
            (
                "Thu nhập bình quân/giờ (đồng)",
                f"{money(plan.hourly_income)} – {plan.income_source}",
            ),
            ("Số hồ sơ/năm", f"{plan.dossiers_per_year} – {plan.dossiers_source}"),
            ("Thời gian thực hiện trước (giờ)", f"{self.hours_before}"),
            ("Thời gian thực hiện sau (giờ)", f"{self.hours_after}"),
            *[(line.split(": ")[0], line.split(": ", 1)[1]) for line in self.comparison.lines()],
        ]


def plan_report(plan: SimplificationPlan) -> PlanReport:
    snapshots = {s.phase: s for s in plan.snapshots.prefetch_related("activities")}
    costs, hours = {}, {}
    for phase in (Phase.BEFORE, Phase.AFTER):
        snap = snapshots.get(phase)
        phase_hours = (
            sum((a.hours for a in snap.activities.all()), Decimal(0)) if snap else Decimal(0)
        )
        hours[phase] = phase_hours
        costs[phase] = yearly_cost(
            hours=phase_hours,
            hourly_income=plan.hourly_income,
            dossiers_per_year=Decimal(plan.dossiers_per_year),
            fees=snap.fees if snap else Decimal(0),
            other=snap.other_costs if snap else Decimal(0),
        )
    procedure = plan.procedure
    statutory = f"{procedure.time_value.normalize():f} {procedure.get_time_unit_display()}"
    average, count = average_working_hours(procedure)
    return PlanReport(
        plan=plan,
        hours_before=hours[Phase.BEFORE],
        hours_after=hours[Phase.AFTER],
        comparison=compare(costs[Phase.BEFORE], costs[Phase.AFTER]),
        statutory=statutory,
        average_hours=average,
        settled_count=count,
    )


def plan_count_dossiers(*, actor, plan_id: int, year: int) -> SimplificationPlan:
    """Set a plan's dossiers per year to the count received in `year` (from the dossier data)."""
    with transaction.atomic():
        plan = SimplificationPlan.objects.select_for_update().get(pk=plan_id)
        old = plan.dossiers_per_year
        plan.dossiers_per_year = dossiers_received_in(plan.procedure, year)
        plan.dossiers_source = f"Đếm từ dữ liệu hồ sơ tiếp nhận năm {year}"
        plan.save(update_fields=["dossiers_per_year", "dossiers_source"])
        audit_record(
            actor=actor,
            action="reform.plan_count_dossiers",
            obj=plan,
            data={"year": year, "before": old, "after": plan.dossiers_per_year},
        )
        return plan
