"""The full-text index, one interface over two databases.

SQLite: an FTS5 table ``records_document_fts`` (rowid = document id), kept in
sync by the services. PostgreSQL: a GIN index on
``to_tsvector('simple', search_text)``. Both hold folded text (see ``text.fold``)
and every query word is a prefix match, all words required.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from backoffice.records.text import query_terms

FTS_TABLE = "records_document_fts"


def index_document(document) -> None:
    if connection.vendor != "sqlite":
        return  # PostgreSQL indexes the column itself
    with connection.cursor() as cur:
        cur.execute("DELETE FROM records_document_fts WHERE rowid = %s", [document.pk])
        if document.search_text:
            cur.execute(
                "INSERT INTO records_document_fts (rowid, body) VALUES (%s, %s)",
                [document.pk, document.search_text],
            )


def filter_matching(qs: QuerySet, query: str) -> QuerySet:
    terms = query_terms(query)
    if not terms:
        return qs
    # Terms are \w+ words (see query_terms) and go in as bound parameters.
    if connection.vendor == "sqlite":
        match = " ".join(f'"{t}"*' for t in terms)
        ids = RawSQL(  # noqa: S611 - constant SQL, the search is a parameter
            "SELECT rowid FROM records_document_fts WHERE records_document_fts MATCH %s",
            [match],
        )
        return qs.filter(pk__in=ids)
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        matches = RawSQL(  # noqa: S611 - constant SQL, the search is a parameter
            "to_tsvector('simple', records_document.search_text) @@ to_tsquery('simple', %s)",
            [tsquery],
            output_field=BooleanField(),
        )
        return qs.alias(fts_match=matches).filter(fts_match=True)
    for term in terms:  # any other database: a plain scan
        qs = qs.filter(search_text__contains=term)
    return qs
