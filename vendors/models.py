# The vendor registry and scoring arrive with issue 4 (SPEC 4.6).
