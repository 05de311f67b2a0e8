"""Live crawls and web-archive rescues into one archive: the copy seen on the portal last wins (real SQLite)."""

from __future__ import annotations

import sqlite_utils

from archive.db import open_db, store_article
from scraper.article import Article

URL = "http://huyendienbien.gov.vn/T/PHIEN-HOP-THANG-02-NAM-2024-UBND-HUYEN-DIEN-BIEN"


def _copy(text: str) -> Article:
    return Article(URL, "Phiên họp tháng 02 năm 2024", "2024-02-29T15:10:00+07:00", None, text, f"<p>{text}</p>")


def _row(db: sqlite_utils.Database) -> dict:
    return next(db["articles"].rows)


def test_the_copy_seen_last_wins_whichever_source_it_comes_from(tmp_path):
    db = open_db(tmp_path / "archive.db")
    assert store_article(db, _copy("Bản trực tiếp."), fetched_at="2025-03-01T00:00:00+00:00").outcome == "new"

    older = store_article(db, _copy("Bản cũ."), "2026-11-29T03:00:00+00:00", captured_at="2024-03-02T08:00:00+00:00")
    assert older.outcome == "older"
    row = _row(db)
    assert (row["body_text"], row["source"], row["captured_at"]) == ("Bản trực tiếp.", "live", None)

    later = store_article(db, _copy("Bản sửa."), "2026-11-29T03:00:00+00:00", captured_at="2025-06-20T10:45:00+00:00")
    assert later.outcome == "updated"
    row = _row(db)
    assert (row["body_text"], row["source"], row["captured_at"]) == ("Bản sửa.", "wayback", "2025-06-20T10:45:00+00:00")
    assert row["first_fetched_at"] == "2025-03-01T00:00:00+00:00"

    assert store_article(db, _copy("Bản mới nhất."), fetched_at="2026-12-01T00:00:00+00:00").outcome == "updated"
    again = store_article(db, _copy("Bản cũ."), "2026-12-02T00:00:00+00:00", captured_at="2024-03-02T08:00:00+00:00")
    assert again.outcome == "older"
    versions = [(v["body_text"], v["fetched_at"]) for v in db.query("select * from article_versions order by version")]
    assert versions == [  # every copy that lost is kept, dated by when the portal showed it
        ("Bản cũ.", "2024-03-02T08:00:00+00:00"),
        ("Bản trực tiếp.", "2025-03-01T00:00:00+00:00"),
        ("Bản sửa.", "2025-06-20T10:45:00+00:00"),
    ]
    row = _row(db)
    assert (row["body_text"], row["source"], row["captured_at"]) == ("Bản mới nhất.", "live", None)
    assert db["articles"].count == 1


def test_an_archive_made_before_the_wayback_source_is_all_live(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old["articles"].insert(
        {"id": "1", "url": URL, "title": "t", "published_at": "2024-02-29T15:10:00+07:00", "body_text": "x"}, pk="id"
    )
    old.close()
    db = open_db(path)
    assert [(r["source"], r["captured_at"]) for r in db.query("select * from articles")] == [("live", None)]
