"""get_<thing>_for_user: the object, or 404 for "missing" and "not yours" alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from .models import Transaction
from .selectors import transactions_for_user

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser


def get_transaction_for_user(user: AnyUser, pk: int) -> Transaction:
    """A transaction of the user's own organisation (view and edit alike)."""
    tx = transactions_for_user(user).filter(pk=pk).first()
    if tx is None:
        raise Http404
    return tx
