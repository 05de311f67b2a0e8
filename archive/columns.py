"""The columns of an `articles` row, declared once: `archive.db` creates the table from them, and `archive.history`
the table of earlier versions from those a version keeps. (Provenance and removal are `archive.history`'s.)"""

ARTICLE_COLUMNS = {
    "id": str,
    "url": str,
    "title": str,
    "published_at": str,
    "author": str,
    "body_text": str,
    "body_html": str,
    "fetched_at": str,
    "first_fetched_at": str,
    "year": int,
    "month": str,
    "content_hash": str,
    "source": str,
    "captured_at": str,
}
