"""The production settings (outsourcing_advisor.settings, read from the environment as ever) for
the load test's gunicorn, with one change: `collectstatic` writes into the load test's temporary
folder (BENCH_STATIC_ROOT) rather than into the checkout's staticfiles/, which WhiteNoise would
otherwise go on serving, stale, to the development server and the tests."""

import os

from outsourcing_advisor.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
