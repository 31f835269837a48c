"""Review routing: who must review a change to each plan file, from the plan itself."""
