"""ESS actors: the organisations directory and the solutions they offer (indexed and matched with practices)."""
