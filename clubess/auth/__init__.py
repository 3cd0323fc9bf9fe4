"""Accounts: login, password reset, email verification, roles."""
