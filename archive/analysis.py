"""OCOP mentions, star ratings and cited documents of archived articles: their tables and how they are written.

`store_analysis` runs inside the transaction that stores an article and replaces that article's rows, so a
re-crawl or a re-run never duplicates them; `analyse_archive` re-runs it over every archived article.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from archive.legal import legal_refs
from archive.ocop import analyse
from archive.rows import insert_rows

TABLES = ("ocop_mentions", "ocop_ratings", "legal_refs")


def ensure_analysis_schema(db: sqlite_utils.Database) -> None:
    """Create the analysis tables and their indexes when missing."""
    article = [("article_id", "articles", "id")]
    db["ocop_mentions"].create(
        {"article_id": str, "published_at": str, "sentence": str, "term": str},
        foreign_keys=article,
        if_not_exists=True,
    )
    db["ocop_ratings"].create(
        {
            "article_id": str,
            "published_at": str,
            "product": str,
            "product_normalised": str,
            "stars": int,
            "producer": str,
            "sentence": str,
        },
        foreign_keys=article,
        if_not_exists=True,
    )
    db["legal_refs"].create(
        {"article_id": str, "ref": str, "kind": str, "issuer": str, "year": int},
        pk=("article_id", "ref"),
        foreign_keys=article,
        if_not_exists=True,
    )
    for table in TABLES:
        if "attachment" not in db[table].columns_dict:
            db[table].add_column("attachment", str)  # the attachment's file name, when read from one
        db[table].create_index(["article_id"], if_not_exists=True)
    db["ocop_mentions"].create_index(["published_at"], if_not_exists=True)
    db["ocop_ratings"].create_index(["product_normalised"], if_not_exists=True)
    db["legal_refs"].create_index(["ref"], if_not_exists=True)


@dataclass(frozen=True)
class Rows:
    """The analysis rows of one article, table by table."""

    mentions: list[dict]
    ratings: list[dict]
    refs: list[dict]


def analysis_rows(
    article_id: str, title: str, body_text: str, published_at: str, attachments: tuple[tuple[str, str], ...] = ()
) -> Rows:
    """What the extractors find in one article and in its attachments (`(filename, text)`), as rows of the three
    tables; a row from an attachment names it. A reference the article makes is not repeated for its attachment."""
    rows = _rows(article_id, title, body_text, published_at, None)
    for filename, text in attachments:
        found = _rows(article_id, "", text, published_at, filename)
        cited = {ref["ref"] for ref in rows.refs}
        rows = Rows(
            rows.mentions + found.mentions,
            rows.ratings + found.ratings,
            rows.refs + [ref for ref in found.refs if ref["ref"] not in cited],
        )
    return rows


def _rows(article_id: str, title: str, body_text: str, published_at: str, attachment: str | None) -> Rows:
    findings = analyse(title, body_text)
    keys = {"article_id": article_id, "published_at": published_at, "attachment": attachment}
    return Rows(
        mentions=[{**keys, "sentence": m.sentence, "term": m.term} for m in findings.mentions],
        ratings=[
            {
                **keys,
                "product": r.product,
                "product_normalised": r.product_normalised,
                "stars": r.stars,
                "producer": r.producer,
                "sentence": r.sentence,
            }
            for r in findings.ratings
        ],
        refs=[
            {"article_id": article_id, "ref": r.ref, "kind": r.kind, "issuer": r.issuer, "year": r.year}
            | {"attachment": attachment}
            for r in legal_refs(f"{title}\n{body_text}")
        ],
    )


def store_analysis(db: sqlite_utils.Database, article_id: str, title: str, body_text: str, published_at: str) -> Rows:
    """Replace one article's analysis rows (its attachments' included); call inside the transaction that writes it."""
    attached = db.execute(
        "select filename, text from attachments where article_id = ? and text is not null order by url", [article_id]
    ).fetchall()
    rows = analysis_rows(article_id, title, body_text, published_at, tuple(attached))
    for table in TABLES:
        db.execute(f"delete from {table} where article_id = ?", [article_id])
    for table, records in zip(TABLES, (rows.mentions, rows.ratings, rows.refs), strict=True):
        insert_rows(db, table, records)
    return rows


def analyse_archive(db: sqlite_utils.Database, batch: int = 200) -> dict[str, int]:
    """Re-run the analysis over every archived article (`batch` articles a transaction); return the row counts."""
    ensure_analysis_schema(db)
    articles = 0
    for chunk in _chunks(db, batch):
        with db.atomic():
            for row in chunk:
                store_analysis(db, row["id"], row["title"], row["body_text"] or "", row["published_at"])
        articles += len(chunk)
    counts = {table: db[table].count for table in TABLES}
    ocop = next(db.query("select count(distinct article_id) as n from ocop_mentions"))["n"]
    return {"articles": articles, "ocop_articles": ocop, **counts}


def _chunks(db: sqlite_utils.Database, size: int) -> Iterator[list[dict]]:
    ids = [row["id"] for row in db.query("select id from articles order by id")]
    for start in range(0, len(ids), size):
        marks = ",".join("?" * len(ids[start : start + size]))
        yield list(
            db.query(
                f"select id, title, body_text, published_at from articles where id in ({marks})",
                ids[start : start + size],
            )
        )
