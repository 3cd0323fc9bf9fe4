"""Meetings: series, meetings, agenda items, speakers, calendar feeds."""
