"""Campaigns: many people each asked for one response, kept as per-person rows outside the engine."""
