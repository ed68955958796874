"""The incident journal and its escalation to the ethics council."""
