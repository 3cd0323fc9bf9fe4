"""Good practices: catalogue, moderation, import/export, and the search and matching engine."""
