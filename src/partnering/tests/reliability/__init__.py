"""Reliability and security across every room (issue 16): headers, limits, backups, fuzzing."""
