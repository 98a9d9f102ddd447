"""Model fields encrypted at rest (AES-256-GCM, ``core.crypto``).

The database holds only ciphertext bound to the field's *purpose* (a national
ID cannot be decrypted as a bank account); Python code sees the plaintext.
Encrypted columns cannot be filtered or sorted in SQL: keep a keyed digest
beside a value that must be unique or searchable (:func:`blind_index`).
Masking for lists is :func:`mask`; revealing a value to a person is audited by
the app that shows it.
"""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from backoffice.core.crypto import decrypt_text, derived_key, encrypt_text


def current_generation() -> int:
    from backoffice.core.keys import current_generation as generation

    return generation()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A string stored encrypted; empty stays empty (nothing to protect)."""

    def __init__(self, *args: Any, purpose: str = "pii", **kwargs: Any) -> None:
        self.purpose = purpose
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return ""
        return decrypt_text(value, purpose=self.purpose)

    def to_python(self, value: Any) -> Any:
        return "" if value is None else str(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return ""
        return encrypt_text(str(value), purpose=self.purpose, generation=current_generation())


class EncryptedDecimalField(models.TextField):  # type: ignore[type-arg]
    """A ``Decimal`` (a salary) stored encrypted; ``None`` when unset."""

    def __init__(self, *args: Any, purpose: str = "salary", **kwargs: Any) -> None:
        self.purpose = purpose
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if not value:
            return None
        return Decimal(decrypt_text(value, purpose=self.purpose))

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, float):
            raise TypeError("money is Decimal, never float")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            from django.core.exceptions import ValidationError

            raise ValidationError("not a decimal number", code="invalid") from None

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt_text(str(value), purpose=self.purpose, generation=current_generation())

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DecimalField(required=not self.blank, decimal_places=0, **kwargs)


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed digest of a normalised value, for uniqueness and exact lookup."""
    normalised = "".join(str(value).split()).upper()
    if not normalised:
        return ""
    key = derived_key(purpose + ":index")
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def mask(value: str | None, *, keep: int = 3) -> str:
    """``012345678901`` -> ``•••••••••901``; short or empty values hide entirely."""
    if not value:
        return ""
    text = str(value)
    if len(text) <= keep + 2:
        return "•" * len(text)
    return "•" * (len(text) - keep) + text[-keep:]
