"""Security events that arrive as signals from django-axes and django.contrib.auth
are written to the audit log (they have no service of ours to go through)."""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from backoffice.core.audit import audit_record

log = logging.getLogger("backoffice.security")


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(event_type="USER_LOGGED_IN", actor=user, target=user, ip_address=_ip(request))
    log.info("login ok user=%s ip=%s", user.pk, _ip(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(event_type="USER_LOGGED_OUT", actor=user, target=user, ip_address=_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    who = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit_record(
        event_type="USER_LOGIN_FAILED",
        actor=who,
        object_type="core.user",
        object_id=who,
        ip_address=_ip(request),
        outcome="failure",
    )
    log.warning("login failed user=%s ip=%s", who, _ip(request))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        event_type="USER_LOCKED_OUT",
        actor=str(username or "")[:254],
        object_type="core.user",
        object_id=str(username or ""),
        ip_address=ip_address,
        outcome="failure",
    )
    log.warning("account locked user=%s ip=%s", username, ip_address)
