"""Agencies and units (effective-dated, with predecessors and successors) and staff roles."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import Role, UnitKind

# Decision 20/2020/QĐ-TTg: M1M2M3.M4M5.M6M7.M8M9M10, e.g. 000.00.12.H57 (DOMAIN §5).
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$")


def validate_agency_code(value: str) -> None:
    if not AGENCY_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Agency code must have the shape 000.00.12.H57 (Decision 20/2020/QĐ-TTg)."),
            code="agency_code",
        )


class Unit(models.Model):
    """An agency or unit as it existed over a validity period (DOMAIN §14)."""

    code = models.CharField(_("electronic agency code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors"
    )
    calendar_name = models.CharField(_("working calendar"), max_length=50, default="hue")
    is_historical = models.BooleanField(
        _("historical entry"), default=False, help_text=_("Created by an import of old data.")
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if not self.is_historical:
            validate_agency_code(self.code)

    def successor_root(self) -> "Unit":
        """The unit this one rolled up into (following successors); itself if none."""
        seen, unit = {self.pk}, self
        while True:
            nxt = unit.successors.order_by("pk").first()
            if nxt is None or nxt.pk in seen:
                return unit
            seen.add(nxt.pk)
            unit = nxt


class Membership(models.Model):
    """A user's role in a unit; staff see only their own units' data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
