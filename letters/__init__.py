"""Reply letters: kinds, numbering, rendering and frozen storage (builds on casework)."""
