"""TOTP two-factor: enrolment (secret + QR code), verification without replay."""

from __future__ import annotations

import base64
import io
import secrets
import time
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP

from backoffice.core.crypto import decrypt_text, encrypt_text

if TYPE_CHECKING:
    from backoffice.core.models import TOTPDevice

_PURPOSE = "totp"
STEP = 30
TOLERANCE = 1


def new_secret() -> bytes:
    return secrets.token_bytes(20)


def seal_secret(key: bytes) -> str:
    from backoffice.core.keys import current_generation

    return encrypt_text(key.hex(), purpose=_PURPOSE, generation=current_generation())


def unseal_secret(sealed: str) -> bytes:
    return bytes.fromhex(decrypt_text(sealed, purpose=_PURPOSE))


def provisioning_uri(key: bytes, account: str) -> str:
    secret = base64.b32encode(key).decode().rstrip("=")
    issuer = settings.OTP_TOTP_ISSUER.replace(" ", "%20")
    return (
        f"otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&digits=6&period={STEP}"
    )


def qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode()


def current_token(key: bytes, *, at: float | None = None) -> str:
    """The code an authenticator shows now (used by tests and the demo)."""
    totp = TOTP(key, step=STEP, digits=6)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def device_verify_token(device: TOTPDevice, token: object) -> bool:
    """Check a code; a time step already used is refused (no replay)."""
    try:
        value = int(str(token).strip())
    except (TypeError, ValueError):
        return False
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False
    key = unseal_secret(device.encrypted_key)
    totp = TOTP(key, step=STEP, digits=6)
    totp.time = time.time()
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        if totp.verify(value, tolerance=TOLERANCE, min_t=locked.last_t + 1):
            locked.last_t = totp.t()
            locked.save(update_fields=["last_t"])
            device.last_t = locked.last_t
            device.throttle_reset(commit=True)
            return True
    device.throttle_increment(commit=True)
    return False
