"""Gunicorn settings for production (`gunicorn -c gunicorn.conf.py`), read from the environment."""

import os

wsgi_app = "outsourcing_advisor.wsgi:application"

# Loopback unless told: the container image sets BIND_HOST=0.0.0.0 (its port is published through
# the container runtime, behind the proxy); elsewhere a reverse proxy on the same host reaches it.
bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{int(os.environ.get('PORT', '8000'))}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A worker busy with one request for longer than this is killed and replaced (its request gets
# a 502 from the proxy). Reports above BACKGROUND_REPORT_TASKS go to the job worker, so what is
# left in a request is seconds at most (README, "Running in production": sizing it).
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))
graceful_timeout = 30

# Logs to stdout/stderr, where the container runtime collects them.
accesslog = "-"
# The access log names a vendor link's or an invitation's path without its token (/v/[token]/,
# /join/[token]/): a log reader must not be able to open the vendor's page or join.
logger_class = "outsourcing_advisor.common.gunicorn_logging.RedactingLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Heartbeat files in memory rather than on a possibly slow container filesystem.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
