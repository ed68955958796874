"""BPMN timers: waking instances whose timers are due."""
