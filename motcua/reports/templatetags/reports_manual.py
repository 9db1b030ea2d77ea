"""`user|may_enter_766:unit`: whether the 766 page links to the screen for hand-entered scores.

The rule is `manual_scores.may_enter` (the unit's leader, or the province); after the 766 view has
run, its caches answer, so the link costs no query. The screen itself still checks access.
"""

from django import template

from motcua.reports.manual_scores import may_enter

register = template.Library()


@register.filter
def may_enter_766(user, unit) -> bool:
    return may_enter(user, unit)
