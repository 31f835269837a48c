"""`opsplan history`: how the plan's commitments moved over its git history."""
