"""Forms as JSON Schema: definition checks, coercion, validation and cleaning."""
