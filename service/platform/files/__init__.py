"""Attachments stored by content hash."""
