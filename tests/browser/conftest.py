"""Shared set-up of the browser tests: Debian's chromium through Playwright
against pytest-django's ``live_server``.

Playwright's sync API keeps an asyncio loop in this thread, so Django would
refuse the ORM calls of the fixtures and of the teardown flush:
``DJANGO_ALLOW_ASYNC_UNSAFE`` is set while a module's browser is up, and only
then. Every page must load its static files and run without JavaScript errors
(or CSP violations, which chromium reports on the console).
"""

from __future__ import annotations

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # The flush at teardown runs while Playwright's loop is still set up.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one per person); at the end, no page
    may have had a JavaScript error, a console error or a missing static file."""
    contexts, problems = [], []

    def make(*, width: int = 1280, height: int = 900):
        # A Vietnamese browser, as the staff's are; LocaleMiddleware reads Accept-Language.
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="vi-VN", base_url=live_server.url
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"js error on {page.url}: {exc}"))
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and "favicon" not in (msg.location or {}).get("url", "")
                and "404" not in msg.text
                and problems.append(f"console: {msg.text}")
            ),
        )
        page.on(
            "response",
            lambda r: (
                "/static/" in r.url and r.status >= 400 and problems.append(f"{r.status} {r.url}")
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == []


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in_with_mfa():
    """Log a desk user in with their password and an authenticator code:
    ``log_in_with_mfa(page, user, totp_key, password)``."""
    import re

    from backoffice.core import mfa

    def log_in(page, user, key, password: str) -> None:
        page.goto("/desk/login/")
        page.fill("#login-form input[name=username]", user.email)
        page.fill("#login-form input[name=password]", password)
        page.locator("#login-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/account/2fa/verify/"))
        page.fill("#mfa-verify-form input[name=token]", mfa.current_token(key))
        page.locator("#mfa-verify-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/desk/$"))

    return log_in
