"""The annual report (plan item 29)."""
