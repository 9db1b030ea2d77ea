from django.db import models
from django.utils.translation import gettext_lazy as _


class TxKind(models.TextChoices):
    """Kinds of notarized contracts and transactions (DOMAIN §11; issue 16)."""

    SALE = "sale", _("sale / transfer")
    GIFT = "gift", _("gift")
    EXCHANGE = "exchange", _("exchange")
    MORTGAGE = "mortgage", _("mortgage")
    LEASE = "lease", _("lease")
    AUTHORISATION = "authorisation", _("authorisation")
    INHERITANCE = "inheritance", _("inheritance division")
    CANCELLATION = "cancellation", _("cancellation of an earlier contract")
    OTHER = "other", _("other")


#: A sale, gift or exchange moves the asset to a new owner: a later transfer by the old owner is a
#: double sale (warning `prior_transfer`).
TRANSFER_KINDS = frozenset({TxKind.SALE, TxKind.GIFT, TxKind.EXCHANGE})


class PartyRole(models.TextChoices):
    """A party's role in the contract."""

    TRANSFEROR = "transferor", _("transferor (seller, donor)")
    TRANSFEREE = "transferee", _("transferee (buyer, donee)")
    MORTGAGOR = "mortgagor", _("mortgagor")
    MORTGAGEE = "mortgagee", _("mortgagee")
    LESSOR = "lessor", _("lessor")
    LESSEE = "lessee", _("lessee")
    PRINCIPAL = "principal", _("principal (authorising party)")
    AGENT = "agent", _("authorised representative")
    HEIR = "heir", _("heir")
    OTHER = "other", _("other party")


class Source(models.TextChoices):
    """How the transaction reached the database."""

    ENTERED = "entered", _("entered on the site")
    IMPORT = "import", _("imported from a file")
    API = "api", _("sent by the organisation's software")
    NATIONAL = "national", _("national notarization database")


class TxStatus(models.TextChoices):
    """Derived: valid, cancelled by a later contract, or (a mortgage) released."""

    VALID = "valid", _("valid")
    CANCELLED = "cancelled", _("cancelled")
    RELEASED = "released", _("released (mortgage)")
