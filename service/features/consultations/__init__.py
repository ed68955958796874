"""The consultations journal (plan item 22)."""
