"""Public pages: home, the club, accessibility, privacy, legal notice."""
