"""The archive served by real Datasette (`portal-archive serve`) over HTTP: JSON API, pages, read-only."""

from __future__ import annotations

import json
import urllib.request

import pytest
from conftest import get, rows, serving

from replica.model import format_posted


def test_articles_json_is_newest_first_with_all_rows(served):
    base, _, db = served
    status, body = get(f"{base}/archive/articles.json?_shape=objects&_size=5")
    assert status == 200
    data = json.loads(body)
    assert data["filtered_table_rows_count"] == rows(db, "select count(*) from articles")[0][0]
    dates = [row["published_at"] for row in data["rows"]]
    assert dates == sorted(dates, reverse=True)
    newest = rows(db, "select max(published_at) from articles")[0][0]
    assert dates[0] == newest


def test_facets_by_year_month_and_author(served):
    base, _, _ = served
    data = json.loads(get(f"{base}/archive/articles.json?_size=0")[1])
    assert {"year", "month", "author"} <= set(data["facet_results"])
    years = {int(value["value"]) for value in data["facet_results"]["year"]["results"]}
    assert min(years) >= 2015 and max(years) <= 2025


def test_full_text_search_through_search_param(served):
    base, _, db = served
    data = json.loads(get(f"{base}/archive/articles.json?_search=OCOP&_shape=objects&_size=max")[1])
    expected = rows(db, "select count(*) from articles where title like '%OCOP%' or body_text like '%OCOP%'")[0][0]
    assert expected > 0
    assert len(data["rows"]) == expected


def test_article_page_reads_like_the_portal_and_is_safe(served):
    base, replica, db = served
    injected = next(a for a in replica.articles if "script-injection" in a.quirks)
    (row,) = rows(db, "select id, title from articles where url = ?", (replica.origin + injected.path,))
    status, html = get(f"{base}/archive/articles/{row['id']}")
    assert status == 200
    assert f"<h1>{row['title']}</h1>" in html.replace("&amp;", "&")
    assert replica.origin + injected.path in html
    shown = format_posted(injected.published)  # as the portal writes it: 17/09/2020 03:13:30 PM
    assert f'Thời gian đăng: <time datetime="{injected.expected.published}">{shown}</time>' in html
    body = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "onerror" not in body and "javascript:" not in body


def test_served_read_only(served):
    base, _, _ = served
    databases = json.loads(get(f"{base}/-/databases.json")[1])
    assert [d["is_mutable"] for d in databases if d["name"] == "archive"] == [False]
    status, _ = get(f"{base}/archive.json?sql=delete+from+articles")
    assert status == 400


def test_database_page_counts_every_table_including_the_search_index(served):
    """The counts come from the inspect file `serve` writes; Datasette cannot count the index by scanning it."""
    base, _, db = served
    status, body = get(f"{base}/archive.json")
    assert status == 200
    counts = {table["name"]: table["count"] for table in json.loads(body)["tables"]}
    articles = rows(db, "select count(*) as n from articles")[0]["n"]
    assert counts["articles"] == counts["articles_fts"] == articles
    assert counts["crawl_errors"] == rows(db, "select count(*) as n from crawl_errors")[0]["n"]


def test_stopping_serve_stops_datasette(crawled, tmp_path):
    """A supervisor's SIGTERM to `portal-archive serve` leaves no Datasette process behind."""
    _, db, _ = crawled
    with serving(db) as base:
        assert get(f"{base}/-/versions.json")[0] == 200
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/-/versions.json", timeout=2)
