"""Numbers as Vietnamese officials write and read them (issue 14).

Shown: a dot between thousands and a comma before decimals — 1.302.000.000; 48,10 %; 200.000 đ.

Read (`read_number`): what an official types, in either convention —

- "5456000", "5.456.000", "5,456,000", "5 456 000" → 5456000;
- "1,5" and "1.5" → 1.5; "5.456.000,50" and "5,456,000.50" → 5456000.50;
- one separator followed by exactly three digits is a thousands separator ("31.000" and
  "31,000" → 31000) unless the whole part is 0 ("0,125" → 0.125): amounts in this project have
  at most two decimals, so "31.000" meaning 31 cannot be intended;
- badly grouped text ("1.2.3", "12,34,567") is refused (None), never guessed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f_]+")


def _grouped(whole: str, sep: str) -> bool:
    return re.fullmatch(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", whole) is not None


def canonical(text: str) -> str | None:
    """`text` rewritten as "-1234.5" for Decimal, or None when its separators make no sense."""
    raw = _SPACES.sub("", str(text).strip())
    sign = ""
    if raw and raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    if not re.fullmatch(r"[\d.,]+", raw):
        return None
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal_sep = "." if raw.rfind(".") > raw.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        if raw.count(decimal_sep) != 1:
            return None
        whole, _sep, fraction = raw.partition(decimal_sep)
        if not _grouped(whole, group_sep) or not fraction.isdigit():
            return None
        return sign + whole.replace(group_sep, "") + "." + fraction
    sep = "." if dots else "," if commas else ""
    if not sep:
        return sign + raw
    count = dots or commas
    whole, _sep, fraction = raw.rpartition(sep)
    if count > 1:  # only thousands separators: 5.456.000
        return sign + raw.replace(sep, "") if _grouped(raw, sep) else None
    if not fraction.isdigit():
        return None
    if len(fraction) == 3 and whole.isdigit() and whole.lstrip("0"):
        return sign + whole + fraction  # 31.000 / 31,000: thirty-one thousand
    return sign + (whole or "0") + "." + fraction


def read_number(text: object) -> Decimal | None:
    """The number an official typed (see the module docstring), or None."""
    if text is None:
        return None
    if isinstance(text, int | Decimal):
        return Decimal(text)
    rewritten = canonical(str(text))
    if rewritten is None:
        return None
    try:
        number = Decimal(rewritten)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: object, places: int | None = None) -> str:
    """1302000000 → "1.302.000.000"; (48.1, 2) → "48,10"; None / "" → "—"."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{number:,.{places}f}"
    else:
        text = f"{number.normalize():,f}" if number != number.to_integral() else f"{number:,.0f}"
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")


def format_money(value: object) -> str:
    """Whole đồng: 200000 → "200.000 đ"."""
    if value is None or value == "":
        return "—"
    return f"{format_number(value, 0)} đ"


def format_percent(value: object, places: int = 2) -> str:
    """48.1 → "48,10 %"; None → "—"."""
    if value is None or value == "":
        return "—"
    return f"{format_number(value, places)} %"
