"""Type aliases for annotations only: import them under `if TYPE_CHECKING:`.

The project uses Django's default user model (no AUTH_USER_MODEL setting), so `User` is
`django.contrib.auth.models.User`. `AnyUser` is what a view's `request.user` may be: a
logged-in user or an anonymous one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.models import AnonymousUser, User

    AnyUser: TypeAlias = User | AnonymousUser

__all__ = ["AnyUser", "User"]
