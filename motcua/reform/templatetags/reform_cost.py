"""`user|may_edit_cost_plan:plan` and `user|may_create_cost_plans`: links to the plan editor.

They never query: the membership cache that the reform views fill (`orgs.selectors.unit_ids_for`)
decides, so the plan pages keep their number of queries; the editor itself still checks access.
"""

from django import template

from motcua.reform.cost_plans import can_create_plans, can_edit_plan

register = template.Library()


@register.filter
def may_edit_cost_plan(user, plan) -> bool:
    return can_edit_plan(user, plan)


@register.filter
def may_create_cost_plans(user) -> bool:
    return can_create_plans(user)
