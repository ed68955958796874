"""People, roles, sign-in, passwords and API tokens."""
