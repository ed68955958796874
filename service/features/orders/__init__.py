"""Director's orders: drafting, the register, documents and acknowledgement."""
