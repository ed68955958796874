"""Plain rules of the school's AI-governance paperwork, free of any framework."""
