"""Task routing, division queues and timers with viewflow.workflow (builds on casework, letters)."""
