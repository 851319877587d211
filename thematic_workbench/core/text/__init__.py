"""Transcript text: stable line numbers, speaker turns and roles, quotes without labels."""
