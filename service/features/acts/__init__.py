"""Local acts, their editions and amendments."""
