"""Registration numbers of the order register: `<year>/<sequence>`."""

from __future__ import annotations


def order_number(year: int, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{year}/{sequence}"
