"""Demo data for the library: practices written for the demo, by lever, and their loader."""
