"""The member home (/espace): what matters to one person, gathered from the domains (read only)."""
