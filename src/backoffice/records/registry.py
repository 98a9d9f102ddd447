"""Owner-based access to attached documents: the extension point of the access rule.

An app whose records carry documents (``Document.owner``) registers, from its
AppConfig.ready, a function that answers "which of my records may this user see?"::

    register_owner_access("workflow.ExpenseClaim", expense_claims_with_documents)

``func(*, user, company)`` returns a QuerySet of that model (or a ``Q`` on it).
``selectors.visible_documents`` then also shows the documents attached to those
records, whatever their classification except secret. The rule itself stays in
that one selector; nothing registered means nothing more is shown (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

OwnerAccess = Callable[..., Any]

# "app_label.modelname" (lower case) -> the functions registered for that model.
_REGISTRY: dict[str, list[OwnerAccess]] = {}
_EXCLUSIVE: set[str] = set()


def _key(model: type[Model] | str) -> str:
    if isinstance(model, str):
        app_label, sep, name = model.partition(".")
        if not sep or not app_label or not name:
            raise ImproperlyConfigured(f"Expected 'app_label.ModelName', got {model!r}.")
        return f"{app_label}.{name}".lower()
    meta = model._meta
    concrete = meta.concrete_model._meta if meta.concrete_model else meta
    return f"{concrete.app_label}.{concrete.model_name}"


def register_owner_access(
    model: type[Model] | str, func: OwnerAccess, *, exclusive: bool = False
) -> None:
    """Let the users ``func`` picks see the documents attached to ``model``'s records.

    ``exclusive``: ONLY those users (and the uploader) see them — the role and
    classification rule does not apply. For documents whose content is more
    sensitive than their classification says (a labour contract shows a salary).

    Registering the same function twice is harmless (``ready()`` may run again in
    tests); several functions for one model add up.
    """
    if not callable(func):
        raise ImproperlyConfigured("register_owner_access needs a callable.")
    funcs = _REGISTRY.setdefault(_key(model), [])
    if func not in funcs:
        funcs.append(func)
    if exclusive:
        _EXCLUSIVE.add(_key(model))


def exclusive_owner_models() -> list[type[Model]]:
    """Models whose documents only their owner access opens."""
    return [apps.get_model(key) for key in sorted(_EXCLUSIVE)]


def unregister_owner_access(model: type[Model] | str, func: OwnerAccess) -> None:
    """For tests."""
    funcs = _REGISTRY.get(_key(model), [])
    if func in funcs:
        funcs.remove(func)


def owner_access_entries() -> list[tuple[type[Model], OwnerAccess]]:
    """(model, function) pairs, the models resolved now (the registry is ready)."""
    out = []
    for key, funcs in _REGISTRY.items():
        model = apps.get_model(key)
        out.extend((model, func) for func in funcs)
    return out
