"""The staff workspace: where each role lands after sign-in and what its navigation shows.

One place decides both (issue 14), from the person's memberships (`Membership.role`):

- intake clerk, specialist → the dossier worklist (`/ho-so/`);
- leader, auditor → the dashboard (`/bao-cao/`);
- specialist / leader of a unit that has blocking requests but no dossiers → the registry worklist;
- notary → the blocking look-up (`/ngan-chan/tra-cuu/`);
- reform officer, appraisal council member → the reform scorecards (`/cai-cach/`);
- administrator (superuser / staff without a unit) → the admin.

The navigation is only a convenience: every page still checks access itself.
A person with several units works in one at a time when they choose it (orgs.active): the counts
follow the active unit. Queries: the memberships with their units' names once per session (kept in the session for the
header only), and at most two per page for the counts of what waits (dossiers: overdue, due today,
to approve; blocking: to approve).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Case, Count, F, JSONField, Q, Subquery, Value, When
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .active import narrow, stored_unit_id
from .choices import Role
from .models import Membership

DOSSIER_ROLES = frozenset({Role.INTAKE_CLERK, Role.SPECIALIST, Role.LEADER, Role.AUDITOR})
WORK_ROLES = frozenset({Role.INTAKE_CLERK, Role.SPECIALIST})
REPORT_ROLES = frozenset({Role.LEADER, Role.AUDITOR})
BLOCKING_VIEWER_ROLES = frozenset({Role.SPECIALIST, Role.LEADER, Role.AUDITOR})
REFORM_ROLES = frozenset({Role.REFORM_OFFICER, Role.EVALUATOR, Role.LEADER, Role.AUDITOR})


@dataclass
class NavItem:
    label: str
    url: str
    key: str
    counts: list[tuple[str, int, str]] = field(default_factory=list)  # (label, n, css class)


@dataclass
class Workspace:
    """What the header shows a signed-in official."""

    name: str
    units: list[str]
    roles: set[str]
    items: list[NavItem]
    # The units the person may switch between ((id, short name), only when there are several)
    # and the active one (None: all of them); see orgs.active.
    unit_choices: list[tuple[int, str]] = field(default_factory=list)
    active_unit: int | None = None

    @property
    def waiting(self) -> int:
        return sum(n for item in self.items for _label, n, _css in item.counts)


SESSION_KEY = "_motcua_nav"


def memberships(user, session=None) -> list[tuple[int, str, str]]:
    """(unit id, role, unit short name) of `user`: one query, then kept in the session.

    The session copy only labels the header (it is refreshed at each sign-in, when the session
    is rotated); access decisions never read it — they go through `orgs.selectors`.
    """
    cached = getattr(user, "_motcua_nav_memberships", None)
    if cached is not None:
        return cached
    stored = session.get(SESSION_KEY) if session is not None else None
    if isinstance(stored, dict) and stored.get("user") == user.pk:
        cached = [(unit, role, name) for unit, role, name in stored.get("rows", [])]
    elif getattr(user, "_motcua_memberships", None) == []:
        cached = []  # a view found no membership: no query
    else:
        cached = list(
            Membership.objects.filter(user_id=user.pk)
            .order_by("unit__code", "role")
            .values_list("unit_id", "role", "unit__short_name")
        )
        if session is not None:
            session[SESSION_KEY] = {"user": user.pk, "rows": [list(row) for row in cached]}
    user._motcua_nav_memberships = cached
    return cached


def _roles(user) -> set[str]:
    return {role for _unit, role, _name in memberships(user)}


def _units(user, roles) -> set[int]:
    """The user's units with one of `roles`, narrowed to the session's active unit (orgs.active)."""
    units = {unit for unit, role, _name in memberships(user) if role in roles}
    return narrow(units, getattr(user, "_motcua_active_unit", None))


def landing_url(user) -> str:
    """Where `user` starts after signing in (see the module docstring)."""
    if not user.is_authenticated:
        return "/"
    roles = _roles(user)
    if roles & WORK_ROLES:
        if Role.INTAKE_CLERK not in roles and _registry_only(user):
            return reverse("blocking:worklist")
        return reverse("dossiers:worklist")
    if roles & REPORT_ROLES:
        return reverse("reports:dashboard")
    if Role.NOTARY in roles:
        return reverse("blocking:search")
    if roles & {Role.REFORM_OFFICER, Role.EVALUATOR}:
        return reverse("reform:index")
    if user.is_superuser or user.is_staff:
        return reverse("admin:index")
    return "/"


def _registry_only(user) -> bool:
    """A specialist of a unit that keeps the blocking registry and receives no dossiers."""
    from motcua.blocking.models import BlockingRequest
    from motcua.dossiers.models import Dossier

    units = _units(user, WORK_ROLES)
    return (
        not Dossier.objects.filter(unit_id__in=units).exists()
        and BlockingRequest.objects.filter(unit_id__in=units).exists()
    )


ZERO_COUNTS = {"overdue": 0, "today": 0, "approve": 0}


def _dossier_counts_query(user, now: datetime | None = None, session=None):
    """(queryset, aggregates) of the waiting counts, or None for a user without dossier units."""
    from motcua.dossiers.choices import Status
    from motcua.dossiers.models import Dossier

    memberships(user, session)  # the header's copy (kept in the session), as `workspace` reads it
    units = _units(user, DOSSIER_ROLES)
    if not units:
        return None
    now = now or timezone.now()
    end_of_day = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=1), time.min)
    )
    pending = [
        Status.SUBMITTED_ONLINE,
        Status.RECEIVED,
        Status.IN_PROGRESS,
        Status.WAITING_SUPPLEMENT,
        Status.WAITING_PAYMENT,
    ]
    leader_units = _units(user, {Role.LEADER})
    due = Case(When(status=Status.SUBMITTED_ONLINE, then=F("intake_due_at")), default=F("due_at"))
    queryset = Dossier.objects.filter(unit_id__in=units, status__in=pending).annotate(nav_due=due)
    aggregates = {
        "overdue": Count("pk", filter=Q(nav_due__lt=now)),
        "today": Count("pk", filter=Q(nav_due__gte=now, nav_due__lt=end_of_day)),
        "approve": Count(
            "pk",
            filter=Q(
                unit_id__in=leader_units or [0],
                current_step__role=Role.LEADER,
                current_step__finished_at__isnull=True,
            ),
        ),
    }
    return queryset, aggregates


def dossier_counts(user, now: datetime | None = None) -> dict[str, int]:
    """Overdue, due today and to approve among the dossiers of the user's units: one query,
    or none when the page already read them with its own query (`dossier_counts_subquery`)."""
    cached = getattr(user, "_motcua_nav_dossier_counts", None)
    if cached is not None:
        return cached
    query = _dossier_counts_query(user, now)
    if query is None:
        return dict(ZERO_COUNTS)
    queryset, aggregates = query
    return queryset.aggregate(**aggregates)


def dossier_counts_subquery(user, now: datetime | None = None, session=None) -> Subquery | None:
    """The same counts as one JSON column that a page adds to a query it runs anyway (issue 17:
    the dossier page); give the value to `remember_dossier_counts`."""
    query = _dossier_counts_query(user, now, session)
    if query is None:
        return None
    queryset, aggregates = query
    # Grouped by a constant: no GROUP BY, so exactly one row even when nothing waits.
    return Subquery(
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(_counts=JSONObject(**aggregates))
        .values("_counts"),
        output_field=JSONField(),
    )


def remember_dossier_counts(user, value) -> None:
    """Keep the counts read by `dossier_counts_subquery` for this request's navigation."""
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, dict):
        user._motcua_nav_dossier_counts = {key: int(value.get(key) or 0) for key in ZERO_COUNTS}


def blocking_to_approve(user) -> int:
    """Blocking requests entered in the user's units that wait for a leader's approval: one query."""
    from motcua.blocking.choices import RequestStatus
    from motcua.blocking.models import BlockingRequest

    units = _units(user, {Role.LEADER})
    if not units:
        return 0
    return BlockingRequest.objects.filter(unit_id__in=units, status=RequestStatus.ENTERED).count()


def workspace(user, session=None) -> Workspace | None:
    """The navigation of a signed-in official, or None for citizens and visitors."""
    from motcua.core.people import full_name

    if not getattr(user, "is_authenticated", False):
        return None
    rows = memberships(user, session)
    roles = {role for _unit, role, _name in rows}
    if not roles and not (user.is_superuser or user.is_staff):
        return None
    choices = list(dict.fromkeys((unit, name) for unit, _role, name in rows))
    active = stored_unit_id(user, session)
    if active not in {unit for unit, _name in choices}:
        active = None
    # The counts below follow the active unit (`_units` narrows to it).
    user._motcua_active_unit = active
    units = [name for unit, name in choices if active is None or unit == active]
    items: list[NavItem] = []
    if roles & DOSSIER_ROLES:
        counts = dossier_counts(user)
        item = NavItem(str(_("Dossiers")), reverse("dossiers:worklist"), "dossiers")
        if counts["overdue"]:
            item.counts.append((str(_("overdue")), counts["overdue"], "count-overdue"))
        if counts["today"]:
            item.counts.append((str(_("due today")), counts["today"], "count-today"))
        if counts["approve"]:
            item.counts.append((str(_("to approve")), counts["approve"], "count-approve"))
        items.append(item)
        items.append(NavItem(str(_("Feedback")), reverse("feedback:worklist"), "feedback"))
    if roles & REPORT_ROLES or user.is_superuser or getattr(user, "_motcua_province", False):
        items.append(NavItem(str(_("Reports")), reverse("reports:dashboard"), "reports"))
    if roles & BLOCKING_VIEWER_ROLES:
        item = NavItem(str(_("Blocking registry")), reverse("blocking:worklist"), "blocking")
        waiting = blocking_to_approve(user)
        if waiting:
            item.counts.append((str(_("to approve")), waiting, "count-approve"))
        items.append(item)
    if roles & (BLOCKING_VIEWER_ROLES | {Role.NOTARY}):
        items.append(NavItem(str(_("Blocking look-up")), reverse("blocking:search"), "lookup"))
    if roles & REFORM_ROLES:
        items.append(NavItem(str(_("Reform scorecards")), reverse("reform:index"), "reform"))
    if user.is_staff or user.is_superuser:
        items.append(NavItem(str(_("Administration")), reverse("admin:index"), "admin"))
    return Workspace(
        full_name(user),
        units,
        roles,
        items,
        unit_choices=choices if len(choices) > 1 else [],
        active_unit=active,
    )


def context(request) -> dict:
    """Context processor: `workspace`, computed only when a template uses it."""
    session = getattr(request, "session", None)
    return {"workspace": SimpleLazyObject(lambda: workspace(request.user, session))}
