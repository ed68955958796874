"""The annual report as PDF and DOCX."""
