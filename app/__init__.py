"""Nudge application core: library index, search service and command line (no Qt outside app/ui/)."""
