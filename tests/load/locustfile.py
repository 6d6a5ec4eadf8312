"""The load test of `make bench` (SPEC 5.1): people browsing an assessment's overview and
inventory pages. Started by tests/bench.py (`load_figures`), which prepares the database and the
gunicorn server and passes what this file needs in the environment:

    BENCH_LOAD_USERS       comma-separated user names, one per simulated user (-u must match)
    BENCH_LOAD_PASSWORD    their password
    BENCH_LOAD_ASSESSMENT  the assessment's id
    BENCH_LOAD_MARKER      text every page of the assessment shows (its name)
    BENCH_LOAD_TASKS       the number of rows the inventory page must show
    BENCH_LOAD_SECONDS     how long the browsing lasts (60)
    BENCH_LOAD_RESULTS     the JSON file written at the end: every request, with its phase

Two phases:

1. Sign-in. Each user signs in once through the real login form (GET for the CSRF token, POST
   the form; django-axes counts only failures). A sign-in costs about a second of CPU on the
   server (PBKDF2, Django's 1,000,000 iterations), so fifty of them keep both workers busy for
   half a minute: that rush is not the browsing the budget is about. The sign-in requests are
   reported apart (named "sign-in: …") and no page is requested until every user is signed in.
2. Browsing, measured: once the last user is signed in, all of them browse for
   BENCH_LOAD_SECONDS and then the run stops. Each user alternates the overview ("dashboard")
   and the inventory, reading each page for THINK_SECONDS (uniformly random) before the next.
   Each first waits a think time too, so that fifty people do not click at the same instant.

A page counts as failed unless it answers 200 (no redirect to the login page) with the
assessment's name, and the inventory with every one of its rows."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import gevent
from gevent.event import Event
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment

# A person reads a page for several seconds before clicking on: 2 to 8 s (5 on average) is
# brisk for an overview of figures and charts or a table of a thousand tasks.
THINK_SECONDS = (2, 8)
SIGN_IN_TIMEOUT = 180  # seconds a user waits for the others to sign in before giving up

USERS = [name for name in os.environ.get("BENCH_LOAD_USERS", "").split(",") if name]
PASSWORD = os.environ.get("BENCH_LOAD_PASSWORD", "")
ASSESSMENT = int(os.environ.get("BENCH_LOAD_ASSESSMENT", "0"))
MARKER = os.environ.get("BENCH_LOAD_MARKER", "").encode()
TASKS = int(os.environ.get("BENCH_LOAD_TASKS", "0"))
BROWSE_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
RESULTS = os.environ.get("BENCH_LOAD_RESULTS", "")

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

PAGES = [
    ("overview", f"/assessments/{ASSESSMENT}/"),
    ("inventory", f"/assessments/{ASSESSMENT}/inventory/"),
]

# Shared by the users: this runs in one locust process (no --processes).
state: dict[str, Any] = {"signed_in": 0, "browse_started": None, "browse_ended": None}
everyone_signed_in = Event()
requests: list[dict[str, Any]] = []
user_errors: list[str] = []


@events.request.add_listener
def record(
    request_type: str,
    name: str,
    response_time: float,
    exception: BaseException | None,
    start_time: float,
    **_kwargs: Any,
) -> None:
    phase = "browse" if everyone_signed_in.is_set() else "sign-in"
    requests.append(
        {
            "phase": phase,
            "name": name,
            "ms": response_time,
            "start": start_time,
            "error": repr(exception) if exception else None,
        }
    )


@events.user_error.add_listener
def record_user_error(exception: BaseException, **_kwargs: Any) -> None:
    user_errors.append(repr(exception))


@events.quitting.add_listener
def write_results(environment: Environment, **_kwargs: Any) -> None:
    if not RESULTS:
        return
    result = {
        "users": len(USERS),
        "signed_in": state["signed_in"],
        "browse_started": state["browse_started"],
        "browse_ended": state["browse_ended"] or time.time(),
        "think_seconds": THINK_SECONDS,
        "requests": requests,
        "user_errors": user_errors,
    }
    Path(RESULTS).write_text(json.dumps(result), encoding="utf-8")


def stop_browsing(environment: Environment) -> None:
    state["browse_ended"] = time.time()
    assert environment.runner is not None
    environment.runner.quit()


class Person(FastHttpUser):
    wait_time = between(*THINK_SECONDS)
    accounts = iter(USERS)

    def on_start(self) -> None:
        self.username = next(self.accounts)  # StopIteration: more users than accounts
        self.sign_in()
        state["signed_in"] += 1
        if state["signed_in"] == len(USERS):
            state["browse_started"] = time.time()
            everyone_signed_in.set()
            gevent.spawn_later(BROWSE_SECONDS, stop_browsing, self.environment)
        if not everyone_signed_in.wait(SIGN_IN_TIMEOUT):
            raise RuntimeError("the other users did not sign in in time")
        gevent.sleep(self.wait_time())
        self.page = 0

    def sign_in(self) -> None:
        with self.client.get(
            "/accounts/login/", name="sign-in: form", catch_response=True
        ) as response:
            token = CSRF_INPUT.search(response.content or b"")
            if response.status_code != 200 or not token:
                response.failure(f"no login form (status {response.status_code})")
                raise RuntimeError(f"{self.username}: no login form")
        form = {
            "csrfmiddlewaretoken": token[1].decode(),
            "username": self.username,
            "password": PASSWORD,
            "next": "",
        }
        with self.client.post(
            "/accounts/login/",
            data=form,
            name="sign-in: post",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/accounts/login/" in location:
                response.failure(f"not signed in (status {response.status_code})")
                raise RuntimeError(f"{self.username}: not signed in")

    @task
    def browse(self) -> None:
        """The overview, then the inventory, then the overview again, …"""
        name, url = PAGES[self.page % len(PAGES)]
        self.page += 1
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as page:
            content = page.content or b""
            if page.status_code != 200:
                page.failure(f"status {page.status_code}")
            elif MARKER not in content:
                page.failure("the assessment's name is missing")
            elif name == "inventory" and content.count(b"<tr") < TASKS:
                page.failure(f"fewer than {TASKS} rows")
