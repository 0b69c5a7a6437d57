"""Use cases: load, apply the domain, persist. The actor is passed in; nothing here commits."""
