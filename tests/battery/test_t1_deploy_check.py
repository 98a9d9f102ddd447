"""T1 deploy check: Django's ``check --deploy`` on production settings, plus what
it does not look at (argon2 first, SameSite, CSP, session lifetime, lockout).

Production settings are what a fresh installation gets: no BACKOFFICE_DEBUG,
no test detection, SQLite in a private BACKOFFICE_HOME. They are loaded in a
subprocess, because under pytest ``settings.TESTING`` is true.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

# Variables that would make the subprocess something else than production.
_NOT_PRODUCTION = (
    "BACKOFFICE_DEBUG",
    "BACKOFFICE_TESTING",
    "BACKOFFICE_HTTPS",
    "BACKOFFICE_SSL_REDIRECT",
    "DATABASE_URL",
    "SECRET_KEY",
    "SESSION_COOKIE_AGE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
    "DJANGO_SETTINGS_MODULE",
)

_DUMP = r"""
import json, sys
import django
django.setup()
from django.conf import settings as s
csp = getattr(s, "CONTENT_SECURITY_POLICY", None) or {}
print(json.dumps({
    "testing": s.TESTING,
    "debug": s.DEBUG,
    "hashers": s.PASSWORD_HASHERS,
    "session_samesite": s.SESSION_COOKIE_SAMESITE,
    "csrf_samesite": s.CSRF_COOKIE_SAMESITE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "language_secure": s.LANGUAGE_COOKIE_SECURE,
    "language_samesite": s.LANGUAGE_COOKIE_SAMESITE,
    "session_age": s.SESSION_COOKIE_AGE,
    "expire_at_close": s.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "hsts": s.SECURE_HSTS_SECONDS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "x_frame": s.X_FRAME_OPTIONS,
    "csp": {k: [str(v) for v in vals] for k, vals in csp.get("DIRECTIVES", {}).items()},
    "middleware": s.MIDDLEWARE,
    "axes_limit": s.AXES_FAILURE_LIMIT,
    "axes_cooloff_s": s.AXES_COOLOFF_TIME.total_seconds() if s.AXES_COOLOFF_TIME else None,
    "axes_params": s.AXES_LOCKOUT_PARAMETERS,
    "min_password_length": [
        v.get("OPTIONS", {}).get("min_length")
        for v in s.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("MinimumLengthValidator")
    ],
    "validators": [v["NAME"].rsplit(".", 1)[-1] for v in s.AUTH_PASSWORD_VALIDATORS],
    "db_engine": s.DATABASES["default"]["ENGINE"],
    "task_backend": s.TASKS["default"]["BACKEND"],
}), flush=True)
from django.core.management import execute_from_command_line
execute_from_command_line(["backoffice manage", "check", "--deploy", "--fail-level", "WARNING"])
"""


def production_env(home, *, secret_key: str | None = "generate", https: str | None = "1"):
    env = {k: v for k, v in os.environ.items() if k not in _NOT_PRODUCTION}
    env["BACKOFFICE_HOME"] = str(home)
    env["DJANGO_SETTINGS_MODULE"] = "backoffice.settings"
    if secret_key == "generate":
        env["SECRET_KEY"] = secrets.token_urlsafe(64)
    elif secret_key is not None:
        env["SECRET_KEY"] = secret_key
    if https is not None:
        env["BACKOFFICE_HTTPS"] = https
    return env


def start(env):
    """Dump the settings, then run ``check --deploy --fail-level WARNING`` as the CLI does."""
    return subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-c", _DUMP],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc):
    out, err = proc.communicate(timeout=180)
    lines = out.strip().splitlines()
    dump = json.loads(lines[0]) if lines and lines[0].startswith("{") else {}
    text = out + err
    found = re.search(r"identified (\d+) issues?", text)
    issues = int(found.group(1)) if found else (0 if "no issues" in text else -1)
    return proc.returncode, issues, dump, text


def test_t1_deploy_check(tmp_path):
    # Production as documented (BACKOFFICE_HTTPS=1, a strong key); the default
    # installation (no BACKOFFICE_HTTPS, generated key); and a control with a weak
    # key, which must be caught, so a silent harness cannot pass. In parallel.
    procs = {
        "prod": start(production_env(tmp_path / "prod")),
        "default": start(production_env(tmp_path / "default", secret_key=None, https=None)),
        "weak-key": start(production_env(tmp_path / "weak", secret_key="x" * 60)),
    }
    results = {name: finish(proc) for name, proc in procs.items()}
    rc, warnings, s, out = results["prod"]
    rc_default, warnings_default, s_default, out_default = results["default"]
    rc_weak, _w, _s, out_weak = results["weak-key"]
    key_file = tmp_path / "default" / "secret_key"
    assert s, out

    extra = {
        "subprocess is not in test mode": s["testing"] is False,
        "DEBUG off": s["debug"] is False,
        "argon2 is the first hasher": s["hashers"][0].endswith("Argon2PasswordHasher"),
        "no weak hasher in production": not any(
            h.rsplit(".", 1)[-1].startswith(("MD5", "SHA1", "UnsaltedMD5", "UnsaltedSHA1"))
            for h in s["hashers"]
        ),
        "session cookie SameSite=Lax/Strict": s["session_samesite"] in ("Lax", "Strict"),
        "CSRF cookie SameSite=Lax/Strict": s["csrf_samesite"] in ("Lax", "Strict"),
        "session cookie HttpOnly": s["session_httponly"] is True,
        "session cookie Secure": s["session_secure"] is True,
        "CSRF cookie Secure": s["csrf_secure"] is True,
        "language cookie Secure, SameSite": s["language_secure"] is True
        and s["language_samesite"] in ("Lax", "Strict"),
        "session expires (<= 12 h)": 0 < s["session_age"] <= 12 * 3600,
        "session ends with the browser": s["expire_at_close"] is True,
        "HSTS >= 1 year": s["hsts"] >= 31536000,
        "HTTP redirected to HTTPS": s["ssl_redirect"] is True,
        "X-Frame-Options DENY": s["x_frame"] == "DENY",
        "CSP middleware installed": "csp.middleware.CSPMiddleware" in s["middleware"],
        "CSP default-src 'self'": s["csp"].get("default-src") == ["'self'"],
        "CSP frame-ancestors 'none'": s["csp"].get("frame-ancestors") == ["'none'"],
        "CSP object-src 'none'": s["csp"].get("object-src") == ["'none'"],
        "CSP base-uri 'self'": s["csp"].get("base-uri") == ["'self'"],
        "CSP form-action 'self'": s["csp"].get("form-action") == ["'self'"],
        "two-factor middleware installed": (
            "backoffice.core.middleware.TwoFactorMiddleware" in s["middleware"]
        ),
        "lockout middleware installed": "axes.middleware.AxesMiddleware" in s["middleware"],
        "lockout after <= 10 failures": 0 < s["axes_limit"] <= 10,
        "lockout cools off (not forever)": bool(s["axes_cooloff_s"]),
        "lockout per user+IP, not IP only": s["axes_params"] == [["username", "ip_address"]],
        "password min length >= 10": s["min_password_length"] and s["min_password_length"][0] >= 10,
        "common and numeric passwords refused": {
            "CommonPasswordValidator",
            "NumericPasswordValidator",
        }
        <= set(s["validators"]),
        "SQLite when DATABASE_URL is unset": s["db_engine"].endswith("sqlite3"),
        "jobs go to the DB queue": s["task_backend"] == "django_tasks_db.DatabaseBackend",
        "default install passes check --deploy": rc_default == 0 and warnings_default == 0,
        "default install is HTTPS-only": s_default.get("session_secure") is True
        and s_default.get("hsts", 0) >= 31536000,
        "weak SECRET_KEY is reported (control)": rc_weak != 0 and "security.W009" in out_weak,
        "generated secret key is private (0600)": key_file.exists()
        and (key_file.stat().st_mode & 0o077) == 0,
    }
    failed = [name for name, ok in extra.items() if not ok]
    print(
        f"\nT1 deploy check: {warnings} warnings (exit {rc}); "
        f"extra checks {len(extra) - len(failed)}/{len(extra)} passed"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    assert rc == 0, out
    assert warnings == 0, out
    assert not failed, (failed, out_default)
