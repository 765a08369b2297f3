"""Meetings and minutes (议事协商)."""
