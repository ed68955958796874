"""Plain rules of the order register: its statuses and registration numbers `<year>/<sequence>`."""

from __future__ import annotations

# An order's way through drafting: returned drafts go back to `draft`, approval ends in `registered`.
ORDER_STATUSES = ("draft", "in_review", "approved", "rejected", "registered")


def order_number(year: int, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{year}/{sequence}"


# The campaign kind of staff acknowledging a registered order (per-person rows outside the engine).
ACK_KIND = "order_acknowledgement"
