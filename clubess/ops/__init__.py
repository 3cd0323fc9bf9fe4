"""Operations on the whole installation: backup and restore, the scheduler, health, logs and metrics (no domain
rules, no domain imports)."""
