"""gunicorn's logger with vendor-link and invitation tokens taken out of the access log
(gunicorn.conf.py)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from outsourcing_advisor.common.redaction import redact


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        """Every atom a format may use: the request line, the path, the raw URI, the referer and
        any other header (`{name}i`) a custom format names."""
        values = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in values.items()
        }
