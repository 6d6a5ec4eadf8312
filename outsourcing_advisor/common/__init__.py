"""The shared kernel: small helpers every app may use (lost-update stamps, wording in the
reader's language, the organisation's default figures). It imports no app of the project."""
