"""Vendor links and invitations carry their token in the URL (/v/<token>/, /join/<token>/):
whoever reads a log line with it could open the vendor's page or join the organisation. Logs name
the path without the token."""

from __future__ import annotations

import logging
import re

# The prefix of a door with a token (the vendors' pages, the join page) and a token-like segment:
# 20+ URL-safe characters.
TOKEN_IN_PATH = re.compile(r"(/(?:v|join)/)[A-Za-z0-9_-]{20,}")
REDACTED = r"\1[token]"


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """A logging filter: the record's message with every vendor-link token replaced (Django's
    "Not Found: /v/…" and "Too Many Requests: /v/…" warnings name the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
