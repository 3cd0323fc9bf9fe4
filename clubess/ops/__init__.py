"""Operations on the whole installation: backup and restore (no domain rules, no domain imports)."""
