"""The inbox: tasks and instances as people see them, who may see what, the engine's tasks projected."""
