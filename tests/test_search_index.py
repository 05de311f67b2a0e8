"""The search index follows `articles`: new, re-parsed and re-crawled articles, rebuilds and old archives."""

from __future__ import annotations

import sqlite3

from conftest import cli, rows

from archive import fts
from archive.db import open_db, store_article
from archive.search import fts_query, title_phrase_match
from scraper.article import Article


def article(url: str, title: str, body: str) -> Article:
    return Article(url, title, "2024-05-01T08:00:00+07:00", "Lò Văn Tiến", body, f"<p>{body}</p>")


def matches(db_path, query: str, table: str = fts.TABLE) -> list[str]:
    """The titles of the articles an index finds for `query`: its words, or its phrase in the title index."""
    to_fts = title_phrase_match if table == fts.TITLE_TABLE else fts_query
    return [
        r["title"]
        for r in rows(
            db_path,
            f"select a.title from {table} f join articles a on a.rowid = f.rowid where {table} match ? order by 1",
            (to_fts(query),),
        )
    ]


def titled(db_path, query: str) -> list[str]:
    return matches(db_path, query, fts.TITLE_TABLE)


def test_store_article_indexes_and_reindexes_in_place(tmp_path):
    path = tmp_path / "archive.db"
    db = open_db(path)
    store_article(db, article("http://x/T/A", "Mật ong hoa ban", "Sản phẩm OCOP 4 sao."))
    store_article(db, article("http://x/T/B", "Khám mắt miễn phí", "Trạm y tế xã."))
    assert matches(path, "mat") == ["Khám mắt miễn phí", "Mật ong hoa ban"]
    assert matches(path, "mật") == ["Mật ong hoa ban"]
    # a re-parse changes the article: its old words leave the index, its new ones come in
    store_article(db, article("http://x/T/A", "Mật ong bánh tổ", "Chè Shan tuyết."))
    assert matches(path, "hoa ban") == [] and matches(path, "OCOP") == []
    assert matches(path, "banh to") == ["Mật ong bánh tổ"] and matches(path, "shan") == ["Mật ong bánh tổ"]
    assert matches(path, "mat") == ["Khám mắt miễn phí", "Mật ong bánh tổ"]
    assert fts.indexed_count(db) == 2
    db.execute("insert into articles_fts(articles_fts) values ('integrity-check')")
    db.close()


def test_the_title_index_holds_the_titles_as_stored_now(tmp_path):
    path = tmp_path / "archive.db"
    db = open_db(path)
    store_article(db, article("http://x/T/A", "Mật ong hoa ban", "Sản phẩm OCOP 4 sao của Điện Biên."))
    store_article(db, article("http://x/T/B", "Điện Biên khám mắt miễn phí", "Trạm y tế xã."))
    assert titled(path, "dien bien") == ["Điện Biên khám mắt miễn phí"]  # not the body's words
    assert titled(path, "OCOP") == [] and matches(path, "OCOP") == ["Mật ong hoa ban"]
    store_article(db, article("http://x/T/A", "Mật ong bánh tổ Điện Biên", "Chè Shan tuyết."))
    assert titled(path, "hoa ban") == [] and titled(path, "bánh tổ") == ["Mật ong bánh tổ Điện Biên"]
    assert titled(path, "Điện Biên") == ["Mật ong bánh tổ Điện Biên", "Điện Biên khám mắt miễn phí"]
    assert fts.indexed_count(db, fts.TITLE_TABLE) == 2
    db.execute(f"insert into {fts.TITLE_TABLE}({fts.TITLE_TABLE}) values ('integrity-check')")
    db.execute(f"drop table {fts.TITLE_TABLE}")  # an archive indexed before there was a title index
    db.close()
    open_db(path).close()
    assert titled(path, "mat ong") == ["Mật ong bánh tổ Điện Biên"]


def test_reindex_rebuilds_a_lost_or_outdated_index(tmp_path):
    path = tmp_path / "archive.db"
    db = open_db(path)
    store_article(db, article("http://x/T/A", "Điện Biên", "Nông thôn mới."))
    db.execute(f"update {fts.VERSION_TABLE} set version = -1")  # built by other token rules
    db.close()
    open_db(path).close()  # opening an archive brings its index up to date
    assert matches(path, "dien bien") == ["Điện Biên"]
    connection = sqlite3.connect(path)
    connection.execute("insert into articles_fts(articles_fts) values ('delete-all')")  # a lost index
    connection.commit()
    connection.close()
    assert matches(path, "dien bien") == []
    assert "indexed 1 articles" in cli("reindex", "--db", str(path)).stdout
    assert matches(path, "nong thon moi") == ["Điện Biên"]


def test_an_archive_with_the_old_full_text_table_is_migrated(tmp_path):
    path = tmp_path / "archive.db"
    db = open_db(path)
    store_article(db, article("http://x/T/A", "Điện Biên", "Nông thôn mới."))
    db.execute(f"drop table {fts.VERSION_TABLE}")
    db.execute("drop table articles_fts")
    db["articles"].enable_fts(["title", "body_text"], fts_version="FTS5", create_triggers=True)
    db.close()
    open_db(path).close()
    assert rows(path, "select name from sqlite_master where type = 'trigger'") == []
    assert matches(path, "Điện") == ["Điện Biên"]
