"""Coordinators' back office: home, audit log."""
