"""Production security settings (SPEC 5.2; README "Running in production"): `check --deploy` is
clean with the documented variables, sessions end after the idle timeout, repeated wrong passwords
lock one username and address out, the Content-Security-Policy forbids inline scripts, and
uploads are capped before anything parses them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Assessment, PendingUpload
from outsourcing_advisor.accounts.lockout import client_ip
from tests.assessments.files import far_cell_xlsx, lying_bomb
from tests.factories import PASSWORD, make_user
from vendors.models import Evaluation

BASE_DIR = django_settings.BASE_DIR
TEMPLATES = BASE_DIR / "templates"

# What README "Running in production" lists for a deployment behind an HTTPS reverse proxy.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k8Qw2-this-is-only-a-test-key-x7Zp4vR9mL3nB6cD1fG5hJ0tY8uE2aS",
    "REQUIRE_SECRET_KEY": "true",
    "ALLOWED_HOSTS": "advisor.example.co.jp",
    "CSRF_TRUSTED_ORIGINS": "https://advisor.example.co.jp",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "TRUST_PROXY_HEADERS": "true",
    "STATIC_MANIFEST": "true",
}


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`manage.py check --deploy` with only `env` set: nothing from the shell or from other tests
    (the e2e tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses)."""
    keep = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env={**keep, "DJANGO_SETTINGS_MODULE": "outsourcing_advisor.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- check --deploy -----------------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_production_variables():
    result = check_deploy(PRODUCTION_ENV)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in output


def test_check_deploy_warns_with_the_development_defaults():
    """The test above proves something: without the variables the same check complains."""
    result = check_deploy({"DEBUG": "true"})
    output = result.stdout + result.stderr
    assert "WARNINGS" in output
    for check in ("W004", "W008", "W012", "W016", "W018"):
        assert f"security.{check}" in output


# --- sessions -----------------------------------------------------------------------------------


def test_sessions_time_out_when_idle():
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    age = django_settings.SESSION_COOKIE_AGE
    assert age == int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))  # 8 hours unless set


def test_each_request_pushes_the_session_expiry_back(manager_client):
    manager_client.get(reverse("home"))
    session = Session.objects.get()
    session.expire_date = timezone.now() + timedelta(minutes=5)
    session.save()
    manager_client.get(reverse("home"))
    session.refresh_from_db()
    age = timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    assert session.expire_date > timezone.now() + age - timedelta(minutes=1)


# --- sign-in lockout ----------------------------------------------------------------------------


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    return settings


def sign_in(client: Client, username: str, password: str, ip: str = "192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def english() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_out_the_username_from_that_address(lockout, db):
    make_user("hanako")
    make_user("taro")
    client = english()
    for _ in range(4):
        response = sign_in(client, "hanako", "wrong")
        assert response.status_code == 200  # the login form again, with its error
    response = sign_in(client, "hanako", "wrong")  # the fifth
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert "Try again in 15 minutes" in page
    assert 'name="password"' not in page

    response = sign_in(client, "hanako", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)

    # Another user at the same address, and the same user elsewhere, are not locked.
    other = Client()
    assert sign_in(other, "taro", PASSWORD).status_code == 302
    assert signed_in(other)
    elsewhere = Client()
    assert sign_in(elsewhere, "hanako", PASSWORD, ip="198.51.100.7").status_code == 302
    assert signed_in(elsewhere)


def test_the_lockout_page_is_japanese_by_default(lockout, db):
    make_user("hanako")
    client = Client()
    for _ in range(5):
        response = sign_in(client, "hanako", "wrong")
    assert response.status_code == 429
    assert '<html lang="ja">' in response.content.decode()


def test_many_usernames_tried_from_one_address_lock_out_the_address(lockout, db):
    """24 wrong passwords over 6 usernames (4 each, under the per-user limit) used to lock
    nothing (issue 13); the address's own limit (20 by default) now does."""
    assert django_settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS == 20
    make_user("hanako")
    client = english()
    statuses = [
        sign_in(client, f"guess{n}", "wrong").status_code for n in range(6) for _try in range(4)
    ]
    assert statuses[:19] == [200] * 19  # the 20th failure reaches the address's limit
    assert set(statuses[20:]) == {429}
    # Even a right password for a real account is refused from that address; elsewhere not.
    assert sign_in(client, "hanako", PASSWORD).status_code == 429
    assert sign_in(Client(), "hanako", PASSWORD, ip="198.51.100.7").status_code == 302


def test_a_successful_sign_in_clears_the_count(lockout, db):
    make_user("hanako")
    client = Client()
    for _ in range(4):
        sign_in(client, "hanako", "wrong")
    assert sign_in(client, "hanako", PASSWORD).status_code == 302
    client = Client()
    for _ in range(4):
        assert sign_in(client, "hanako", "wrong").status_code == 200
    assert sign_in(client, "hanako", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(lockout, db):
    make_user("hanako")
    client = Client()
    for _ in range(5):
        sign_in(client, "hanako", "wrong")
    assert sign_in(client, "hanako", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "hanako", PASSWORD).status_code == 302


def test_without_cool_off_the_lock_stays_until_axes_reset(lockout, db):
    lockout.AXES_COOLOFF_TIME = None
    make_user("hanako")
    client = english()
    for _ in range(5):
        response = sign_in(client, "hanako", "wrong")
    assert "Ask your administrator to lift the lock" in response.content.decode()
    assert sign_in(client, "hanako", PASSWORD).status_code == 429
    call_command("axes_reset", stdout=StringIO())
    assert sign_in(client, "hanako", PASSWORD).status_code == 302


def test_the_test_clients_login_still_works(lockout, manager):
    """authenticate() without a request (Client.login) is not counted and not refused."""
    assert Client().login(username="hanako", password=PASSWORD)
    assert not Client().login(username="hanako", password="wrong")


def test_client_address_behind_the_proxy_only_when_told(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    settings.TRUST_PROXY_HEADERS = False
    assert client_ip(request) == "10.0.0.2"
    settings.TRUST_PROXY_HEADERS = True
    assert client_ip(request) == "203.0.113.9"  # the entry our proxy added, not the client's
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


# --- Content-Security-Policy --------------------------------------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_pages_carry_a_policy_without_inline_scripts(client, manager_client):
    for response in (client.get(reverse("login")), manager_client.get(reverse("home"))):
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["img-src"] == ["'self'", "data:"]


TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE | re.DOTALL)


def test_templates_have_no_inline_script_or_event_handler():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(TEMPLATES)
        offenders += [f"{name}: {tag}" for tag in TAG.findall(text) if "src=" not in tag]
        offenders += [f"{name}: {m.group(1)}=" for m in EVENT_HANDLER.finditer(text)]
        if "javascript:" in text.lower():
            offenders.append(f"{name}: javascript: URL")
    assert offenders == []


# --- uploads ------------------------------------------------------------------------------------


def test_xml_in_workbooks_is_parsed_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_upload_limits_leave_room_only_for_the_file(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.MAX_UPLOAD_BYTES + 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.MAX_UPLOAD_BYTES + 1024 * 1024


def oversized(settings) -> SimpleUploadedFile:
    settings.MAX_UPLOAD_BYTES = 2048
    return SimpleUploadedFile("big.csv", b"a,b\n" + b"x" * 4096, content_type="text/csv")


def test_an_oversized_inventory_is_refused_before_parsing(manager_client, assessment, settings):
    with mock.patch("assessments.files.uploads.read", side_effect=AssertionError("parsed")):
        response = manager_client.post(
            reverse("import_upload", args=[assessment.pk]),
            {"file": oversized(settings), "replace": "1"},
        )
    assert "larger than" in response.content.decode()
    assert assessment.tasks.count() == 2


def test_an_oversized_evaluation_file_is_refused_before_parsing(
    consultant_client, assessment, settings
):
    with mock.patch("vendors.web.import_views.parse_evaluations", side_effect=AssertionError):
        response = consultant_client.post(
            reverse("evaluations_import", args=[assessment.pk]), {"file": oversized(settings)}
        )
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


# --- hostile workbooks through every import path (issue 12) -----------------------------------

FAR_VALUE = (
    "cell XFD1048576 holds a value far outside the table (the table would span "
    "17,179,869,184 cells)"
)
HOSTILE = [
    pytest.param(
        "far.xlsx", lambda: far_cell_xlsx("XFD1048576", styled=False), FAR_VALUE, id="far"
    ),
    pytest.param("bomb.xlsx", lying_bomb, "damaged", id="lying-zip-headers"),
]


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE)
def test_hostile_workbooks_are_refused_by_the_inventory_upload(
    manager_client, assessment, name, build, message
):
    tasks = list(assessment.tasks.values())
    upload = SimpleUploadedFile(name, build())
    with translation.override("en"):
        response = manager_client.post(
            reverse("import_upload", args=[assessment.pk]), {"file": upload}
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(assessment.tasks.values()) == tasks
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE)
def test_hostile_workbooks_are_refused_by_the_evaluation_import(
    consultant_client, assessment, name, build, message
):
    upload = SimpleUploadedFile(name, build())
    with translation.override("en"):
        response = consultant_client.post(
            reverse("evaluations_import", args=[assessment.pk]), {"file": upload}
        )
    assert message in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE)
def test_hostile_workbooks_are_refused_by_the_command_line(tmp_path, db, name, build, message):
    path = tmp_path / name
    path.write_bytes(build())
    errors = StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command("assess", str(path), "--lang", "en", stderr=errors)
    assert message in errors.getvalue()
    assert not Assessment.objects.exists()


# --- smaller doors (issue 13) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/assessments/", "/assessments/"),
        ("http://testserver/assessments/", "/"),  # would leave HTTPS for HTTP on this host
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("", "/"),
    ],
)
def test_the_language_switch_goes_back_only_to_a_path_of_this_site(client, next_url, expected):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302 and response["Location"] == expected


def test_the_language_cookie_is_secure_and_http_only_when_cookies_are(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_production_settings_make_the_language_cookie_secure():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LANGUAGE_COOKIE_SECURE)"
    )
    env = {
        **os.environ,
        "SECURE_COOKIES": "true",
        "DJANGO_SETTINGS_MODULE": "outsourcing_advisor.settings",
    }
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "True", done.stderr


def test_the_excel_export_is_never_cached(manager_client, assessment):
    response = manager_client.get(reverse("export_xlsx", args=[assessment.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("environment", "bind"),
    [({}, "127.0.0.1:8000"), ({"BIND_HOST": "0.0.0.0", "PORT": "8080"}, "0.0.0.0:8080")],
)
def test_gunicorn_binds_to_loopback_unless_told(environment, bind):
    """The container image says BIND_HOST=0.0.0.0; anywhere else the server is reached through
    a proxy on the same host."""
    code = "import runpy; print(runpy.run_path('gunicorn.conf.py')['bind'])"
    env = {k: v for k, v in os.environ.items() if k not in ("BIND_HOST", "PORT")} | environment
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
    )
    assert done.stdout.strip() == bind, done.stderr
    dockerfile = (django_settings.BASE_DIR / "Dockerfile").read_text()
    assert "BIND_HOST=0.0.0.0" in dockerfile


def test_the_report_pdf_is_never_cached(manager_client, assessment):
    response = manager_client.get(reverse("report_pdf", args=[assessment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
