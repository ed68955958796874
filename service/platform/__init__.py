"""The generic platform: engine, persistence, audit, accounts, inbox, processes, forms, notifications,
timers, files, documents and web. It never imports a feature: features register with it."""
