"""`flask retention run`: the RGPD retention periods enforced nightly, across the domains."""
