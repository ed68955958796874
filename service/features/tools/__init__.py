"""AI tool evaluation by the commission and the register of permitted tools."""
