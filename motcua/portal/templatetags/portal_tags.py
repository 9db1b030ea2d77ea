"""Small presentation filters of the portal."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def vnd(value) -> str:
    """200000 → "200.000" (Vietnamese thousands separator)."""
    try:
        number = int(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number:,}".replace(",", ".")
