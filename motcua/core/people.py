"""People's names in Vietnamese order (issue 14).

Django's users keep `last_name` (family and middle names, "Trần Văn") and `first_name`
(the given name, "Minh"); a Vietnamese name reads family, middle, given: "Trần Văn Minh".
`full_name(user)` is what every page and printed form shows; it never falls back to the
login name: a citizen's profile name when already loaded (no extra query), else a neutral
"Account no. N".
"""

from __future__ import annotations

from django.utils.translation import gettext


def vietnamese_name(first_name: str, last_name: str) -> str:
    return " ".join(
        part for part in ((last_name or "").strip(), (first_name or "").strip()) if part
    )


def full_name(user) -> str:
    """Family, middle and given names; a citizen's profile name; else "Account no. N"."""
    if user is None or not getattr(user, "pk", None):
        return ""
    name = vietnamese_name(getattr(user, "first_name", ""), getattr(user, "last_name", ""))
    if name:
        return name
    profile = user._state.fields_cache.get("citizen_profile")
    if profile is not None and profile.full_name:
        return profile.full_name
    return gettext("Account no. %(id)s") % {"id": user.pk}


def install() -> None:
    """Make `User.get_full_name()` and `user.full_name` follow the Vietnamese order everywhere."""
    from django.contrib.auth import get_user_model

    model = get_user_model()

    def get_full_name(self) -> str:
        return vietnamese_name(self.first_name, self.last_name)

    model.get_full_name = get_full_name  # type: ignore[method-assign]
    model.full_name = property(full_name)  # type: ignore[attr-defined]
