"""Notifications: the in-app outbox, reading them, and the e-mail sender."""
