"""Applicants' identity numbers and phones: validation and masking. Pure Python.

居民身份证 numbers carry a GB 11643-1999 check character (ISO 7064 MOD 11-2); a number that
fails it is a typo, caught at the counter rather than months later. Lists and exports show
numbers masked; only the page that needs the full number shows it."""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")


def resident_id_problem(number: str) -> str | None:
    """None when `number` is a valid 18-digit 居民身份证 number, else the reason in Chinese."""
    n = number.strip().upper()
    if not _RESIDENT_ID.match(n):
        return "居民身份证号码应为18位：17位数字加1位数字或X"
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效"
    if born.year < 1880 or born > date.today():
        return "居民身份证号码中的出生日期无效"
    check = _CHECK[sum(int(d) * w for d, w in zip(n[:17], _WEIGHTS, strict=True)) % 11]
    if n[17] != check:
        return "居民身份证号码校验位不正确，请核对"
    return None


def mask_id_number(number: str) -> str:
    """Keep the first 3 and last 2 characters: enough to tell two applicants apart."""
    n = number.strip()
    if len(n) <= 5:
        return "*" * len(n)
    return n[:3] + "*" * (len(n) - 5) + n[-2:]


def mask_phone(phone: str) -> str:
    """138****5678: the first 3 and last 4 digits of a mobile; landlines keep the last 4."""
    p = phone.strip()
    digits = re.sub(r"\D", "", p)
    if len(digits) <= 4:
        return "*" * len(p)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * (len(digits) - 4) + digits[-4:]
