"""`user|sees_reports`: whether the navigation shows the link to /bao-cao/.

It never queries: the membership cache that staff views fill (`orgs.selectors.unit_ids_for`)
decides, so pages keep a constant number of queries; the page itself still checks access.
"""

from django import template

register = template.Library()


@register.filter
def sees_reports(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or getattr(user, "_motcua_province", False):
        return True
    cache = getattr(user, "_motcua_memberships", None) or []
    return any(role in ("leader", "auditor") for _unit, role in cache)
