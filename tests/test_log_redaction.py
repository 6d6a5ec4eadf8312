"""Vendor-link and invitation tokens never reach a log line: a log reader must not be able to
open a vendor's page (issue 17) or join an organisation (issue 18): each link is a door to the
outside."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from django.conf import settings

from outsourcing_advisor.common.gunicorn_logging import RedactingLogger
from outsourcing_advisor.common.redaction import RedactTokens, redact

TOKEN = "Xq3vJ9kLmN0pQrStUvWxYz_1234567890-abcdEFGH"


def test_a_token_in_a_path_is_replaced_and_other_paths_are_kept():
    assert redact(f"Not Found: /v/{TOKEN}/receipt/") == "Not Found: /v/[token]/receipt/"
    assert redact("/assessments/12/packages/3/vendors/") == "/assessments/12/packages/3/vendors/"
    assert redact("/v/short/") == "/v/short/"
    # An invitation's join page (issue 18), also as the sign-in page's next address.
    assert redact(f"Not Found: /join/{TOKEN}/") == "Not Found: /join/[token]/"
    assert redact(f"/accounts/login/?next=/join/{TOKEN}/") == "/accounts/login/?next=/join/[token]/"


def test_djangos_warning_about_a_vendor_page_is_logged_without_the_token():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/v/{TOKEN}/",), None
    )
    assert RedactTokens().filter(record)
    assert record.getMessage() == "Not Found: /v/[token]/"
    console = settings.LOGGING["handlers"]["console"]
    assert "redact_tokens" in console["filters"], "the filter is on the handler every log uses"


def test_the_access_log_names_the_path_without_the_token():
    config = SimpleNamespace(
        errorlog="-",
        accesslog="-",
        loglevel="info",
        syslog=False,
        logconfig=None,
        logconfig_dict={},
        logconfig_json=None,
        capture_output=False,
        disable_redirect_access_to_syslog=False,
        access_log_format='%(h)s "%(r)s" %(s)s',
        user=0,
        group=0,
        umask=0,
        statsd_host=None,
    )
    logger = RedactingLogger(config)
    request = SimpleNamespace(
        method="GET",
        uri=f"/v/{TOKEN}/",
        path=f"/v/{TOKEN}/",
        query="",
        version=(1, 1),
        headers=[],
    )
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], status_code=200)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/v/{TOKEN}/",
        "PATH_INFO": f"/v/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://advisor.example/v/{TOKEN}/",
    }
    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1))
    assert TOKEN not in " ".join(str(value) for value in atoms.values())
    assert atoms["r"] == "GET /v/[token]/ HTTP/1.1"
