"""Crawls of an independently written copy of the portal whose pager lies: real HTTP, real crawl processes.

Whatever the pager says, every article is archived once, the walk asks for at most a window of pages past the
real last page, and `status` says when the pager disagrees with the list.
"""

from __future__ import annotations

import pytest
from conftest import assert_reads_as, cli, rows

from replica.independent import IndependentPortal
from scraper.walk import WINDOW

ARTICLES = 64
MODES = [
    ("truthful", "empty", None),
    ("too_big", "empty", "declares 6,412,345 entries"),
    ("too_small", "empty", "declares 20 entries"),
    ("none", "empty", None),
    ("run_on_digits", "empty", None),
    ("truthful", "404", None),
    ("too_big", "404", "declares 6,412,345 entries"),
    ("none", "repeat_first", None),
    ("too_big", "repeat_first", "declares 6,412,345 entries"),
]


def assert_archived(portal: IndependentPortal, base: str, db) -> None:
    """Every article of the copy is one row, with the title, date, author and paragraphs a reader sees."""
    stored = {row["url"]: row for row in rows(db, "select * from articles")}
    assert len(stored) == len(portal.articles)
    for article in portal.articles:
        assert_reads_as(stored[base + article.path], article)


@pytest.mark.parametrize(("pager", "beyond", "warning"), MODES)
def test_a_lying_pager_costs_a_few_pages_and_loses_nothing(tmp_path, pager, beyond, warning):
    portal = IndependentPortal(n_articles=ARTICLES, pager=pager, beyond=beyond, seed=7)
    db = tmp_path / "lying.db"
    with portal.serve(host="127.0.0.1", port=0) as base:
        out = cli("crawl", "--start-url", portal.list_url, "--db", str(db), "--delay", "0", "--no-warc").stdout
        lists, articles = portal.count("list"), portal.count("article")
        status = cli("status", "--db", str(db)).stdout
    assert_archived(portal, base, db)
    assert portal.last_page + 1 <= lists <= portal.last_page + WINDOW  # a window past the end, never the pager's range
    assert articles == ARTICLES  # each article once
    assert lists + articles <= 1.15 * (portal.last_page + ARTICLES)
    assert rows(db, "select count(*) from crawl_errors")[0][0] == 0  # the end of the list is no error
    assert f"articles archived: {ARTICLES} of" in status and "(0 gone, 0 missing)" in status
    if warning:
        assert warning in out and f"the list ends at page {portal.last_page} with {ARTICLES} articles" in out
        assert f"warning: the pager {warning}" in status and f"{ARTICLES} listed" in status
    else:
        assert "warning" not in out + status


def test_a_recrawl_after_a_lying_pager_is_incremental(tmp_path):
    """The walk's own count, not the pager's lie, says the archive is complete: the next run reads one page."""
    portal = IndependentPortal(n_articles=ARTICLES, pager="too_big", beyond="empty", seed=7)
    db = tmp_path / "again.db"
    with portal.serve(host="127.0.0.1", port=0):
        cli("crawl", "--start-url", portal.list_url, "--db", str(db), "--delay", "0", "--no-warc")
        before = portal.count("list") + portal.count("article")
        out = cli("crawl", "--start-url", portal.list_url, "--db", str(db), "--delay", "0", "--no-warc").stdout
        assert portal.count("list") + portal.count("article") - before == 1
    assert "0 new" in out
