"""Staff authentication (issue 16): session limits, the second factor (TOTP + recovery codes)."""
