"""`opsplan ls`: the plan's entities as rows (kind, id, name, owner, where, key figures)."""
