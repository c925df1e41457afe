"""The procurement room's tables (see docs/architecture.md for what it owns)."""
