"""Outgoing mail: the outbox, its worker and message rendering."""
