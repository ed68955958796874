"""Use cases: each is one function and one transaction (start, claim, complete, deploy, wake timers…)."""
