"""A registered order as the school files it: its content, PDF and DOCX."""
