"""The whole portal in the archive: its sections (lists), the photo library's albums and photos, and attachments.

- `sections`: one row per list, `id` the 16-hex id of its first page's URL (as `articles.id` is of an article's);
  `article_sections`: one row per list that shows an entry (an article, or an album of the library);
  `articles.section`: the section an article was first found in.
- `albums` and `photos`: the photo library, each photo kept in the WARC files like an article's images.
- `attachments`: documents linked from an article's body (`article_id`) or a section's list (`section_id`), kept in
  the WARC files; their text is searchable with the article and read by the analysis (`archive.analysis`).
"""

from __future__ import annotations

import hashlib

import sqlite_utils

from archive import fts
from archive.analysis import store_analysis
from archive.rows import insert_rows
from scraper.article import Album
from scraper.items import FetchedAttachment, ListPageRead
from scraper.urls import article_id, canonical_article_url


def section_id(url: str) -> str:
    """A section's id: that of its first page's URL without `PageIndex`."""
    return article_id(canonical_article_url(url))


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables of sections, albums, photos and attachments, and `articles.section`, when missing."""
    db["sections"].create(
        {
            "id": str,
            "url": str,
            "title": str,
            "parent": str,
            "declared_total": int,
            "pages": int,
            "last_walked_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["article_sections"].create(
        {"article_id": str, "section_id": str}, pk=("article_id", "section_id"), if_not_exists=True
    )
    if "section" not in db["articles"].columns_dict:  # a reference, so that Datasette shows the section's title
        db["articles"].add_column("section", fk="sections", fk_col="id")
    if "section_id" not in db["list_pages"].columns_dict:
        db["list_pages"].add_column("section_id", str)
    db["albums"].create(
        {"id": str, "url": str, "title": str, "published_at": str, "section": str, "fetched_at": str},
        pk="id",
        foreign_keys=[("section", "sections", "id")],
        if_not_exists=True,
    )
    db["photos"].create(
        {"album_id": str, "position": int, "url": str, "caption": str, "alt": str},
        pk=("album_id", "position"),
        foreign_keys=[("album_id", "albums", "id")],
        if_not_exists=True,
    )
    db["attachments"].create(
        {
            "article_id": str,
            "section_id": str,
            "url": str,
            "filename": str,
            "content_type": str,
            "size": int,
            "sha256": str,
            "text": str,
            "text_status": str,
            "fetched_at": str,
            "warc_file": str,
            "warc_offset": int,
        },
        pk="url",
        if_not_exists=True,
    )
    db["article_sections"].create_index(["section_id"], if_not_exists=True)
    db["articles"].create_index(["section"], if_not_exists=True)
    db["attachments"].create_index(["article_id"], if_not_exists=True)


def record_section_page(db: sqlite_utils.Database, page: ListPageRead, at: str) -> None:
    """A page of a section's list was read (inside the transaction that records it): the section's row, one
    `article_sections` row per entry it shows, and `articles.section` of those archived without one."""
    if page.section is None:
        return
    key = section_id(page.section.url)
    pages = next(db.query("select count(*) n from list_pages where section_id = ?", [key]))["n"]
    row = {
        "id": key,
        "url": canonical_article_url(page.section.url),
        "title": page.section.title,
        "parent": page.section.parent,
        "declared_total": page.declared_total,
        "pages": pages,
        "last_walked_at": at,
    }
    insert_rows(db, "sections", [row], key="id")
    ids = [article_id(url) for url in page.entries]
    db.conn.executemany(
        "insert or ignore into article_sections (article_id, section_id) values (?, ?)", [(i, key) for i in ids]
    )
    db.conn.executemany("update articles set section = ? where id = ? and section is null", [(key, i) for i in ids])


def first_section(db: sqlite_utils.Database, key: str) -> None:
    """Set `articles.section` of a new article: the first list that showed it."""
    db.execute(
        "update articles set section = (select section_id from article_sections where article_id = ? order by rowid"
        " limit 1) where id = ? and section is null",
        [key, key],
    )


def store_album(db: sqlite_utils.Database, album: Album, fetched_at: str, section: str | None) -> str:
    """Insert or update an album and its photos in one transaction; returns its id."""
    key = article_id(album.url)
    row = {
        "id": key,
        "url": album.url,
        "title": album.title,
        "published_at": album.published_at,
        "section": section_id(section) if section else None,
        "fetched_at": fetched_at,
    }
    photos = [
        {"album_id": key, "position": i, "url": p.url, "caption": p.caption, "alt": p.alt}
        for i, p in enumerate(album.photos)
    ]
    with db.atomic():
        insert_rows(db, "albums", [row], key="id")
        db.execute("delete from photos where album_id = ?", [key])
        insert_rows(db, "photos", photos)
    return key


def store_attachment(db: sqlite_utils.Database, item: FetchedAttachment) -> None:
    """Insert or update a document and, for an article's, re-index and re-analyse the article with its text."""
    key = article_id(item.article_url) if item.article_url else None
    row = {
        "article_id": key,
        "section_id": section_id(item.section_url) if item.section_url else None,
        "url": item.url,
        "filename": item.url.rsplit("/", 1)[-1].split("?", 1)[0],
        "content_type": item.content_type,
        "size": len(item.body),
        "sha256": hashlib.sha256(item.body).hexdigest(),
        "text": item.text,
        "text_status": item.text_status,
        "fetched_at": item.fetched_at,
        "warc_file": item.capture.filename if item.capture else None,
        "warc_offset": item.capture.offset if item.capture else None,
    }
    with db.atomic():
        article = next(db.query("select title, body_text, published_at from articles where id = ?", [key]), None)
        if article:
            fts.unindex_article(db, key)
        insert_rows(db, "attachments", [row], key="url")
        if article:
            fts.index_article(db, key)
            store_analysis(db, key, article["title"], article["body_text"] or "", article["published_at"])
