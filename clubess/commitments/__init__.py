"""Commitments: what each collectivity commits to do at a meeting, followed across quarters."""
