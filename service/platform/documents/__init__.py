"""What every document renderer shares: the typeface, wrapped lines, tables, text hygiene and diffs."""
