"""Every API schema has a name of its own: the OpenAPI document keys schemas
by class name, so two apps' ``ReportTableOut`` would silently describe one
operation with the other's shape (T5 found it as response mismatches)."""

from __future__ import annotations

from collections import defaultdict


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_api_schema_class_names_are_unique():
    from ninja import Schema

    import backoffice.api  # noqa: F401  (imports every app's routers and schemas)

    where = defaultdict(set)
    for cls in _all_subclasses(Schema):
        if cls.__module__.startswith("backoffice.") and ".tests." not in cls.__module__:
            where[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(mods) for name, mods in where.items() if len(mods) > 1}
    assert clashes == {}
