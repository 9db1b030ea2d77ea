"""The indicators of the Decision 766 index as the national portal describes them (DOMAIN §7).

Ids exactly as the portal's description ("2.1"). What an indicator counts is in `counts.py`
(SQL) and `rules21.py` (indicator 2.1); its points and target are data per year
(`IndexYear` / `IndexIndicatorSetting`, defaults below and in migration reports/0004).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

#: Group maxima of the decision (DOMAIN §7): transparency 18, progress 20, online 22,
#: digitisation 22, satisfaction 18.
GROUPS = (
    ("1", _("Transparency"), 18),
    ("2", _("Progress and results"), 20),
    ("3", _("Online services and payment"), 22),
    ("4", _("Digitisation of dossiers and results"), 22),
    ("5", _("Satisfaction"), 18),
)
GROUP_MAX = {key: maximum for key, _label, maximum in GROUPS}

#: What the drill-down lists for an indicator.
DOSSIER, PROCEDURE, FEEDBACK = "dossier", "procedure", "feedback"


@dataclass(frozen=True)
class Indicator:
    """One indicator: id, title, what its failing items are and why they cost points."""

    id: str
    title: object
    reason: object = ""  # why an item listed in the drill-down costs points
    subject: str = DOSSIER
    manual: bool = False  # entered by the leader with evidence (manual_scores.py)
    display_only: bool = False  # shown, never scored (2.2)

    @property
    def group(self) -> str:
        return self.id.split(".")[0]

    # The templates and the manual screen used `code`; keep the name as an alias.
    @property
    def code(self) -> str:
        return self.id

    @property
    def label(self) -> object:
        return self.title


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "1.1",
        _("Procedures published on time (decision ≥ 5 working days before the legal basis)"),
        manual=True,
        subject=PROCEDURE,
    ),
    Indicator(
        "1.2",
        _("Procedures made public on the national database within 5 working days"),
        manual=True,
        subject=PROCEDURE,
    ),
    Indicator(
        "1.3",
        _("Procedures published with all their components"),
        _("a component is missing: legal basis, time limit, required documents or steps"),
        subject=PROCEDURE,
    ),
    Indicator(
        "1.4",
        _("Dossiers synced to the national portal"),
        _("received in the period but not synced to the national portal"),
    ),
    Indicator(
        "2.1",
        _("Dossiers settled or in progress on time"),
        _("late by the national rule (end date after the due date, or supplement asked twice)"),
    ),
    Indicator(
        "2.2",
        _("Average processing time (days, display only)"),
        display_only=True,
    ),
    Indicator(
        "3.1",
        _("Procedures offering an online service"),
        _("no online service (neither partly nor fully online)"),
        subject=PROCEDURE,
    ),
    Indicator(
        "3.2",
        _("Online services that received at least one online dossier"),
        _("an online service without any online dossier in the period"),
        subject=PROCEDURE,
    ),
    Indicator(
        "3.3",
        _("Dossiers received online (× the sync rate 1.4)"),
        _("not online, or online without the electronic result its paper result requires"),
    ),
    Indicator(
        "3.5",
        _("Fee-bearing procedures payable online on the national portal"),
        _("the fee cannot be paid online on the national portal"),
        subject=PROCEDURE,
    ),
    Indicator(
        "3.6",
        _("Dossiers of fee-bearing procedures paid online"),
        _("the fee was not paid online"),
    ),
    Indicator(
        "4.1",
        _("Electronic results of procedures whose result is a document"),
        _("settled without an electronic result"),
    ),
    Indicator(
        "4.2",
        _("Dossiers digitised (with the electronic result where one is required)"),
        _("documents not digitised, or the result has no electronic copy"),
    ),
    Indicator(
        "4.3",
        _("Dossiers reusing digitised data"),
        _("no component reused from digitised data"),
    ),
    Indicator(
        "4.4",
        _("Dossiers using the citizen's national data store"),
        _("nothing taken from or pushed to the citizen's data store"),
    ),
    Indicator(
        "4.5",
        _("Dossiers using population data (VNeID-verified applicant)"),
        _("the applicant's account was not verified with VNeID"),
    ),
    Indicator(
        "5.1",
        _("Feedback (PAKN) classified"),
        _("not classified (policy / procedure / official's conduct)"),
        subject=FEEDBACK,
    ),
    Indicator(
        "5.2",
        _("Feedback (PAKN) handled on time"),
        _(
            "a step missed its limit (rejected, more information requested, answered or "
            "published late), or still unanswered or unpublished after the deadline"
        ),
        subject=FEEDBACK,
    ),
    Indicator(
        "5.3",
        _("Satisfaction with the handling of feedback (PAKN)"),
        _("the sender disliked the answer, it was late, or the complaint was repeated"),
        subject=FEEDBACK,
    ),
    Indicator(
        "5.4",
        _("Satisfaction with the service: 100 % − (late rate + feedback or dislike rate)"),
        _("late, or the citizen sent feedback or rated it 'not satisfied'"),
    ),
)

BY_ID = {i.id: i for i in INDICATORS}
BY_CODE = BY_ID  # the old name

#: Defaults of the settings (seeded by migration reports/0004): (max points, target %).
#: Confirmed: 1.2 = 4, 5.4 = 6 points; targets 80 % (3.1, 3.5, 4.2, 4.3), 50 % (3.3), 90 % (5.4).
#: The other maxima are our split of the group maxima and the other targets 100 % (unconfirmed).
DEFAULTS: dict[str, tuple[Decimal, Decimal]] = {
    "1.1": (Decimal(4), Decimal(100)),
    "1.2": (Decimal(4), Decimal(100)),
    "1.3": (Decimal(4), Decimal(100)),
    "1.4": (Decimal(6), Decimal(100)),
    "2.1": (Decimal(20), Decimal(100)),
    "2.2": (Decimal(0), Decimal(100)),
    "3.1": (Decimal(4), Decimal(80)),
    "3.2": (Decimal(4), Decimal(100)),
    "3.3": (Decimal(6), Decimal(50)),
    "3.5": (Decimal(4), Decimal(80)),
    "3.6": (Decimal(4), Decimal(100)),
    "4.1": (Decimal(5), Decimal(100)),
    "4.2": (Decimal(5), Decimal(80)),
    "4.3": (Decimal(4), Decimal(80)),
    "4.4": (Decimal(4), Decimal(100)),
    "4.5": (Decimal(4), Decimal(100)),
    "5.1": (Decimal(4), Decimal(100)),
    "5.2": (Decimal(4), Decimal(100)),
    "5.3": (Decimal(4), Decimal(100)),
    "5.4": (Decimal(6), Decimal(90)),
}
assert set(DEFAULTS) == set(BY_ID)
assert all(sum(DEFAULTS[i.id][0] for i in INDICATORS if i.group == g) == m for g, _l, m in GROUPS)
