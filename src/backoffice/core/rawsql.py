"""Hot-path SQL without the ORM's query building, for plain models.

Posting one ledger entry (and writing its audit event) runs a dozen small
statements; building them through the ORM costs several times what SQLite takes
to run them. ``fetch`` and ``insert`` send the statements the ORM would send, with
the values the model fields prepare and convert. Only for plain models (no
``save()`` override, no signal receivers: AuditEvent, and the ledger's Journal,
Account, Period, Entry, Line). Everywhere else, use the ORM.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Model

_PLANS: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()


def execute(sql: str, params: Sequence[Any] | None = None) -> list[Any]:
    """Run one hot-path statement (``%s`` placeholders, as for Django's cursor) and
    return its rows (empty for a statement that returns none).

    On SQLite the statement goes to the DB-API connection under Django's, its
    placeholders rewritten once per distinct statement: Django's cursor wrapper
    creates a cursor and rewrites the SQL with a regular expression on every
    call (skipping it: posting one entry 30 % faster, S4). Everything else is as through
    Django's cursor: without ``params`` the SQL is sent as written (``%%`` stays
    ``%%``); errors, also while the rows are read, are Django's
    (``IntegrityError`` ...); a broken transaction and a connection shared across
    threads are refused; and while queries are logged (``DEBUG``,
    ``CaptureQueriesContext``) or wrapped (``execute_wrapper``), with named
    parameters and on PostgreSQL, the statement goes through Django's cursor."""
    conn = connections[DEFAULT_DB_ALIAS]
    if (
        conn.vendor != "sqlite"
        or conn.queries_logged
        or conn.execute_wrappers
        or isinstance(params, Mapping)
    ):
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description is not None else []
    conn.ensure_connection()
    conn.validate_thread_sharing()
    conn.validate_no_broken_transaction()
    db: sqlite3.Connection = conn.connection
    with conn.wrap_database_errors:
        if params is None:
            return db.execute(sql).fetchall()
        return db.execute(_qmark(sql), params).fetchall()


_FORMAT_MARK = re.compile(r"(?<!%)%s")  # as Django's SQLite cursor rewrites them


def _qmark(sql: str) -> str:
    """``sql`` with ``%s`` as ``?`` and ``%%`` as ``%``; short statements are
    remembered (long ones are the multi-row upserts, each with its own length)."""
    if len(sql) > _CACHED_UP_TO:
        return _convert_marks(sql)
    return _cached_marks(sql)


def _convert_marks(sql: str) -> str:
    return _FORMAT_MARK.sub("?", sql).replace("%%", "%")


_CACHED_UP_TO = 4096
_cached_marks = functools.lru_cache(maxsize=256)(_convert_marks)


def _plans(conn: Any) -> dict[Any, Any]:
    plans = _PLANS.get(conn)
    if plans is None:
        plans = _PLANS[conn] = {}
    return plans


def _columns(conn: Any, model: type[Model]) -> tuple[list[str], list[str], list[Any]]:
    """Qualified column names, attnames and converters of ``model``'s concrete fields."""
    meta = model._meta
    qn = conn.ops.quote_name
    fields = list(meta.concrete_fields)
    converters = []
    for f in fields:
        col = f.get_col(meta.db_table)
        convs = conn.ops.get_db_converters(col) + col.get_db_converters(conn)
        converters.append([(conv, col) for conv in convs])
    columns = [f"{qn(meta.db_table)}.{qn(f.column)}" for f in fields]
    return columns, [f.attname for f in fields], converters


def _convert(conn: Any, values: list[Any], converters: list[Any]) -> list[Any]:
    for i, convs in enumerate(converters):
        for conv, col in convs:
            values[i] = conv(values[i], col, conn)
    return values


def fetch(
    model: type[Model], where: str, params: Sequence[Any], *, related: str | None = None
) -> list[Any]:
    """``model`` instances (all fields loaded) of ``SELECT ... FROM table <where>``, with
    the object of the foreign key ``related`` joined and cached (as select_related
    does; qualify the columns in ``where`` with the table names then)."""
    conn = connections[DEFAULT_DB_ALIAS]
    plans = _plans(conn)
    key = ("select", model, related)
    plan = plans.get(key)
    if plan is None:
        qn = conn.ops.quote_name
        meta = model._meta
        columns, names, converters = _columns(conn, model)
        source = qn(meta.db_table)
        rel_model = rel_plan = fk = None
        if related is not None:
            fk = meta.get_field(related)
            rel_model = fk.related_model
            rel_cols, rel_names, rel_convs = _columns(conn, rel_model)
            rel_meta = rel_model._meta
            source += " INNER JOIN {t} ON ({t}.{pk} = {s}.{c})".format(
                t=qn(rel_meta.db_table),
                pk=qn(rel_meta.pk.column),
                s=qn(meta.db_table),
                c=qn(fk.column),
            )
            columns = columns + rel_cols
            rel_plan = (rel_names, rel_convs)
        sql = f"SELECT {', '.join(columns)} FROM {source}"  # noqa: S608  # nosec B608 - model names
        plan = plans[key] = (sql, names, converters, fk, rel_model, rel_plan)
    sql, names, converters, fk, rel_model, rel_plan = plan
    rows = execute(f"{sql} {where}", list(params))
    n = len(names)
    out = []
    for row in rows:
        obj = model.from_db(DEFAULT_DB_ALIAS, names, _convert(conn, list(row[:n]), converters))
        if fk is not None:
            rel_names, rel_convs = rel_plan
            rel = rel_model.from_db(
                DEFAULT_DB_ALIAS, rel_names, _convert(conn, list(row[n:]), rel_convs)
            )
            fk.set_cached_value(obj, rel)
        out.append(obj)
    return out


# Field classes (exactly these, not subclasses: an encrypted field is a subclass)
# whose value goes to the database as it is once it has this Python type.
_AS_IS: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
}


def _stored_type(f: Any) -> type | None:
    """The Python type a value of field ``f`` is stored as it is (None: always convert).
    Foreign keys to integer keys take ints; nothing here has a pre_save of its own."""
    if type(f) in (models.ForeignKey, models.OneToOneField):
        return int if isinstance(f.target_field, models.IntegerField) else None
    return _AS_IS.get(type(f))


def insert(objs: Sequence[Model], *, returning: bool = True) -> None:
    """INSERT the unsaved ``objs`` (one model) in multi-row statements, as
    ``save(force_insert=True)`` / ``bulk_create`` would store them; with ``returning``
    their pks are read back (else left unset)."""
    if not objs:
        return
    conn = connections[DEFAULT_DB_ALIAS]
    if returning and not conn.features.can_return_columns_from_insert:
        for obj in objs:
            obj.save(force_insert=True)
        return
    model = type(objs[0])
    plans = _plans(conn)
    plan = plans.get(("insert", model))
    if plan is None:
        meta = model._meta
        qn = conn.ops.quote_name
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608  # nosec B608 - model names
            qn(meta.db_table), ", ".join(qn(f.column) for f in fields)
        )
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        savers = [(f, f.attname, _stored_type(f)) for f in fields]
        plan = plans[("insert", model)] = (savers, head, row, f" RETURNING {qn(meta.pk.column)}")
    savers, head, row, tail = plan
    if not returning:
        tail = ""
    per_statement = 1 if returning else max(1, 900 // len(savers))
    for start in range(0, len(objs), per_statement):
        chunk = objs[start : start + per_statement]
        params: list[Any] = []
        add = params.append
        for obj in chunk:
            for f, attname, stored in savers:
                if stored is not None:
                    value = getattr(obj, attname)
                    if value is None or type(value) is stored:
                        add(value)  # what get_db_prep_save would return for it
                        continue
                add(f.get_db_prep_save(f.pre_save(obj, True), conn))
        rows = execute(head + ", ".join([row] * len(chunk)) + tail, params)
        if returning:
            chunk[0].pk = rows[0][0]
            chunk[0]._state.adding = False
            chunk[0]._state.db = DEFAULT_DB_ALIAS
