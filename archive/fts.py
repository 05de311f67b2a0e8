"""The full-text index of `articles`: a contentless FTS5 table of exact and folded tokens (see `archive.search`), and
a second one of the titles alone.

The title index is what best match first reads first: the articles whose title holds a query's phrase, ranked
without reading the body's tokens. A common word's matches in a title are a small share of its matches in the
bodies (`hòa giải`: one in forty), so the first page of a common word is found without ranking every article that
mentions it (README, Search).

The indexes are derived from `articles` only. `store_article` keeps them right in the same transaction as the
article, and `rebuild` re-derives them from scratch (`portal-archive reindex`; done automatically when an archive
built with another token version, or without the title index, is opened).
"""

from __future__ import annotations

import itertools

import sqlite_utils

from archive.search import TRANSFORM_VERSION, index_text

TABLE = "articles_fts"
TITLE_TABLE = "articles_title_fts"
VERSION_TABLE = "articles_fts_version"
COLUMNS = ("title_exact", "body_exact", "title_fold", "body_fold")
TITLE_COLUMNS = ("title_exact", "title_fold")
INDEXES = ((TABLE, COLUMNS), (TITLE_TABLE, TITLE_COLUMNS))
# bm25 weights of the columns: a word in the title counts ten times a word in the body.
WEIGHTS = "10.0, 1.0, 10.0, 1.0"
RANK = f"bm25({WEIGHTS})"
# The same score as an SQL expression over a match of the table (smaller is better).
SCORE = f"bm25([{TABLE}], {WEIGHTS})"
# No per-article token counts (`columnsize=0`): bm25 then reads no row of its own per match, which makes ranking
# 64,000 matches three times faster (see README, Search); the price is that bm25 does not discount long articles.
OPTIONS = "content='', columnsize=0, tokenize='unicode61 remove_diacritics 0'"
TITLE_SCORE = f"bm25([{TITLE_TABLE}])"
INSERT = f"insert into [{TABLE}](rowid, {', '.join(COLUMNS)}) values (?, ?, ?, ?, ?)"
INSERT_TITLE = f"insert into [{TITLE_TABLE}](rowid, {', '.join(TITLE_COLUMNS)}) values (?, ?, ?)"
# An article is found by its attachments' text too: indexed with its body (`archive.whole_portal` keeps it in step).
ATTACHED = (
    "(select group_concat(text, char(10)) from (select text from attachments"
    " where attachments.article_id = articles.id and text is not null order by url))"
)
ROWS = f"select rowid, title, body_text, {ATTACHED} as attached from articles"


def ensure_index(db: sqlite_utils.Database) -> None:
    """Create the index if missing, and rebuild it if it was built by another version of the token rules."""
    current = db[VERSION_TABLE].exists() and next(db.query(f"select version from {VERSION_TABLE}"), {}).get("version")
    if current != TRANSFORM_VERSION or not _is_ours(db):
        rebuild(db)


def _is_ours(db: sqlite_utils.Database) -> bool:
    return all(
        OPTIONS in (next(db.query("select sql from sqlite_master where name = ?", [table]), {}).get("sql") or "")
        and tuple(db[table].columns_dict) == columns
        for table, columns in INDEXES
    )


def rebuild(db: sqlite_utils.Database) -> int:
    """Drop and re-derive the whole index from `articles`; returns the number of articles indexed."""
    with db.atomic():
        for trigger in db.query(f"select name from sqlite_master where type = 'trigger' and sql like '%{TABLE}%'"):
            db.execute(f"drop trigger [{trigger['name']}]")
        for table, columns in INDEXES:
            db.execute(f"drop table if exists [{table}]")
            db.execute(f"create virtual table [{table}] using fts5({', '.join(columns)}, {OPTIONS})")
        db.execute(f"insert into [{TABLE}]([{TABLE}], rank) values ('rank', ?)", [RANK])
        index_articles(db)
        db.execute(f"drop table if exists [{VERSION_TABLE}]")
        db[VERSION_TABLE].insert({"version": TRANSFORM_VERSION})
    return db["articles"].count


def index_articles(db: sqlite_utils.Database, where: str = "1", params: tuple = ()) -> None:
    """Add the tokens of the articles that `where` (SQL over `articles`) selects, as they are stored now."""
    rows = db.query(f"{ROWS} where {where}", params)
    while values := [_values(row) for row in itertools.islice(rows, 1000)]:
        db.conn.executemany(INSERT, values)
        db.conn.executemany(INSERT_TITLE, map(_title_values, values))


def indexed_count(db: sqlite_utils.Database, table: str = TABLE) -> int:
    """How many articles an index holds: the row count FTS5 keeps in its averages record (a table without
    per-article sizes cannot be scanned to count them)."""
    record = next(db.query(f"select block from [{table}_data] where id = 1"), {}).get("block") or b"\0"
    count = 0
    for position, byte in enumerate(record[:9]):  # an SQLite varint: 7 bits a byte, the 9th byte whole
        if position == 8:
            return (count << 8) | byte
        count = (count << 7) | (byte & 0x7F)
        if byte < 0x80:
            return count
    return count


def _values(row: dict) -> tuple:
    title_exact, title_fold = index_text(row["title"])
    body_exact, body_fold = index_text("\n".join(filter(None, (row["body_text"], row["attached"]))))
    return (row["rowid"], title_exact, body_exact, title_fold, body_fold)


def _title_values(values: tuple) -> tuple:
    """The title index's values from the main index's."""
    rowid, title_exact, _, title_fold, _ = values
    return (rowid, title_exact, title_fold)


def unindex_article(db: sqlite_utils.Database, article_id: str) -> None:
    """Remove an article's tokens (a contentless index needs the values it was given, derived again here)."""
    values = _article_values(db, article_id)
    if values is not None:
        for (table, columns), row in zip(INDEXES, (values, _title_values(values)), strict=True):
            marks = ", ".join("?" * len(row))
            db.execute(f"insert into [{table}]([{table}], rowid, {', '.join(columns)}) values ('delete', {marks})", row)


def index_article(db: sqlite_utils.Database, article_id: str) -> None:
    """Add an article's tokens as it is stored now."""
    values = _article_values(db, article_id)
    db.execute(INSERT, values)
    db.execute(INSERT_TITLE, _title_values(values))


def _article_values(db: sqlite_utils.Database, article_id: str) -> tuple | None:
    row = next(db.query(f"{ROWS} where id = ?", [article_id]), None)
    return None if row is None else _values(row)
