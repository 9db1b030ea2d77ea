"""Vietnamese number formats in templates (a builtin library, no {% load %} needed; one place).

{{ n|vn_number }} → 1.302.000.000 · {{ rate|vn_number:2 }} → 48,10 ·
{{ rate|vn_percent }} → 48,10 % · {{ fee|dong }} → 200.000 đ   (motcua.core.numbers)
"""

from django import template

from motcua.core import numbers

register = template.Library()


@register.filter
def vn_number(value, places=None):
    return numbers.format_number(value, None if places in (None, "") else int(places))


@register.filter
def vn_percent(value, places=2):
    return numbers.format_percent(value, int(places))


@register.filter
def dong(value):
    return numbers.format_money(value)
