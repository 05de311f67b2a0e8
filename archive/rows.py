"""Writing rows with one prepared statement per table.

The write path runs for every article of a crawl. sqlite-utils' `insert_all` and `upsert` introspect the table on
every call, which was about a third of the time spent storing an article; the archive's tables are created by
`archive.db`, so their columns are known and a plain statement does.
"""

from __future__ import annotations

import sqlite_utils


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict], key: str | None = None) -> None:
    """Insert `rows` (dictionaries with the same keys) into `table`.

    With `key`, a row whose key is already there is updated in place: it keeps its rowid, which the search index
    (`archive.fts`) is keyed on.
    """
    if not rows:
        return
    columns = list(rows[0])
    sql = f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) values ({', '.join('?' * len(columns))})"
    if key is not None:
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != key)
        sql += f" on conflict([{key}]) do update set {updates}"
    db.conn.executemany(sql, [tuple(row[c] for c in columns) for row in rows])
