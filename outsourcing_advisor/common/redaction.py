"""Vendor links carry their token in the URL (/v/<token>/): whoever reads a log line with it
could open the vendor's page. Logs name the path without the token."""

from __future__ import annotations

import logging
import re

# The portal's prefix and a token-like segment: 20+ URL-safe characters.
TOKEN_IN_PATH = re.compile(r"(/v/)[A-Za-z0-9_-]{20,}")
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
