"""T11 (platform part): secrets at rest. TOTP secrets are encrypted with
AES-GCM under the master key: a dump of the database holds no plaintext
secret, and a flipped ciphertext byte is rejected, not silently accepted."""

import base64
import io

import pytest
from django.core.management import call_command

from backoffice.core import mfa
from backoffice.core.crypto import decrypt_text, encrypt_text
from backoffice.core.enums import Role
from backoffice.core.models import TOTPDevice


@pytest.mark.django_db
def test_totp_secret_not_in_database_dump_and_tamper_rejected(company_a, make_user, totp_for):
    user = make_user(company_a, roles=[Role.ACCOUNTANT])
    key = totp_for(user)
    dump = io.StringIO()
    call_command("dumpdata", "core", stdout=dump)
    text = dump.getvalue()
    canaries = [key.hex(), base64.b32encode(key).decode().rstrip("=")]
    hits = sum(c in text for c in canaries)

    device = TOTPDevice.objects.get(user=user)
    raw = bytearray(base64.urlsafe_b64decode(device.encrypted_key.split(":", 1)[1]))
    raw[20] ^= 0x01
    device.encrypted_key = "v1:" + base64.urlsafe_b64encode(bytes(raw)).decode()
    device.save()
    tamper_rejected = 0
    try:
        device.verify_token(mfa.current_token(key))
    except Exception:  # InvalidTag from AES-GCM
        tamper_rejected = 1
    print(
        f"T11 PII at rest (platform): plaintext hits {hits}; tampering rejected {tamper_rejected}/1"
    )
    assert hits == 0
    assert tamper_rejected == 1


def test_ciphertext_is_bound_to_its_purpose():
    sealed = encrypt_text("0123456789", purpose="totp")
    assert decrypt_text(sealed, purpose="totp") == "0123456789"
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        decrypt_text(sealed, purpose="national_id")
    assert encrypt_text("0123456789", purpose="totp") != sealed  # fresh nonce each time
