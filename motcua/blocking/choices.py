from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """A binding block from a competent authority, or reference / warning information (DOMAIN §11)."""

    BLOCKING = "blocking", _("blocking")
    REFERENCE = "reference", _("reference / warning")


class RequestStatus(models.TextChoices):
    """Where a request stands; `released` / `partially_released` are derived from its assets."""

    ENTERED = "entered", _("entered, awaiting approval")
    APPROVED = "approved", _("approved, awaiting publication")
    PUBLISHED = "published", _("published to notaries")
    PARTIALLY_RELEASED = "partially_released", _("partially released")
    RELEASED = "released", _("released")


#: Statuses a notary can see: published, whole or in part released (history stays searchable).
VISIBLE_TO_NOTARIES = frozenset(
    {RequestStatus.PUBLISHED, RequestStatus.PARTIALLY_RELEASED, RequestStatus.RELEASED}
)


class AssetType(models.TextChoices):
    LAND = "land", _("land / house")
    VEHICLE = "vehicle", _("vehicle")
    OTHER = "other", _("other asset")


class KeyKind(models.TextChoices):
    """Kinds of rows in the denormalised search table."""

    IDENTIFIER = "i", _("identifier")
    NAME = "n", _("full name")
    NAME_TOKEN = "t", _("word of a name")
    TEXT = "x", _("word of the text")
    PARCEL = "p", _("parcel and map sheet")
