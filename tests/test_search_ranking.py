"""Best match first, page by page: the `search` query's two tiers and its count, on a small archive built here.

The query runs in SQLite with the plugin's functions, as Datasette runs it (tests/test_search_served.py runs it
through `portal-archive serve` on the crawled replica).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from archive import fts
from archive.db import open_db
from archive.web import search_pages
from archive.web.search_pages import COUNTED, PAGE_SIZE, SEARCH_SQL, TITLES_RANKED

PHRASE = "Nông thôn mới"
FILLER = "Huyện tổ chức hội nghị tổng kết công tác năm với các xã trên địa bàn."


def build(path, bodies: list[tuple[str, str]], published=None) -> sqlite3.Connection:
    """An archive of articles (title, body), dated one day apart (the first the newest), years 2022 and 2021, or as
    `published(i)` says."""
    db = open_db(path)
    published = published or (lambda i: f"{2022 - i % 2}-03-{28 - i // 40:02d}T08:{i % 60:02d}:00+07:00")
    db["articles"].insert_all(
        {
            "id": f"a{i:04d}",
            "url": f"http://x/T/a{i}",
            "title": title,
            "published_at": published(i),
            "author": "",
            "body_text": body,
            "year": int(published(i)[:4]),
            "month": published(i)[:7],
        }
        for i, (title, body) in enumerate(bodies)
    )
    fts.rebuild(db)
    db.close()
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    search_pages.prepare_connection(connection)
    return connection


def search(connection, q: str, page: int = 1, **extra: str) -> list[sqlite3.Row]:
    params = {"q": q, "sort": "", "year": "", "month": "", "author": "", "page": str(page), **extra}
    return connection.execute(SEARCH_SQL, params).fetchall()


def every_page(connection, q: str, **extra: str) -> list[sqlite3.Row]:
    found, page = [], 1
    while result := search(connection, q, page, **extra):
        found += result
        page += 1
    return found


def ids(found: list[sqlite3.Row]) -> list[str]:
    return [row["id"] for row in found]


@pytest.fixture(scope="module")
def tiers(tmp_path_factory):
    """25 articles with the phrase (one of them in its title), 30 with its words apart, 10 without them."""
    phrase = [("Tin huyện", f"{FILLER} Xây dựng {f'{PHRASE}, ' * (1 + i % 3)}{FILLER}") for i in range(24)]
    phrase.insert(7, (f"{PHRASE} ở Mường Phăng", f"{FILLER} Chương trình {PHRASE}."))
    scattered = [("Tin xã", f"Người nông dân {FILLER} thôn Bản Phủ {FILLER} năm mới") for _ in range(30)]
    other = [("Tin khác", FILLER) for _ in range(10)]
    bodies = [*phrase, *scattered, *other]
    connection = build(tmp_path_factory.mktemp("tiers") / "archive.db", bodies)
    ids = [f"a{i:04d}" for i in range(len(bodies))]
    return connection, set(ids[:25]), set(ids[25:55])


@pytest.mark.parametrize("q", [PHRASE, "nong thon moi", "NÔNG THÔN MỚI"])
def test_every_match_comes_once_phrase_first(tiers, q):
    connection, phrase, scattered = tiers
    found = ids(every_page(connection, q))
    assert len(found) == len(set(found)) == 55
    assert set(found[:25]) == phrase and set(found[25:]) == scattered
    page_2 = [row["id"] for row in search(connection, q, 2)]  # the page where the tiers meet
    assert len(page_2) == PAGE_SIZE and len(set(page_2) & phrase) == 5


def test_the_title_match_comes_first(tiers):
    """Its body has the phrase once, others up to three times: a title word weighs ten body words."""
    connection, _, _ = tiers
    best = search(connection, "nong thon moi")[0]
    assert best["title"].startswith(PHRASE) and best["title_html"].startswith("<mark>Nông</mark>")


def test_filters_apply_to_both_tiers(tiers):
    connection, phrase, scattered = tiers
    found = ids(every_page(connection, PHRASE, year="2021"))
    in_2021 = {r[0] for r in connection.execute("select id from articles where year = 2021")}
    assert set(found) == (phrase | scattered) & in_2021
    assert search(connection, PHRASE, year="2021")[0]["id"] in phrase


def test_newest_first_holds_the_same_articles(tiers):
    connection, phrase, scattered = tiers
    newest = every_page(connection, PHRASE, sort="newest")
    assert set(ids(newest)) == phrase | scattered and len(newest) == 55
    dates = [row["published_at"] for row in newest]
    assert dates == sorted(dates, reverse=True)


def test_total_is_exact_up_to_the_count_then_more_than(tmp_path):
    connection = build(tmp_path / "archive.db", [("Điện Biên", FILLER)] * (COUNTED + 30))
    first = search(connection, "dien bien")[0]
    assert (first["total"], first["total_is_more"]) == (COUNTED + 1, 1)
    # a page past the count is counted far enough to know whether another follows
    last_page = (COUNTED + 30 + PAGE_SIZE - 1) // PAGE_SIZE
    last = search(connection, "dien bien", last_page)
    assert (last[0]["total"], last[0]["total_is_more"]) == (COUNTED + 30, 0)
    assert len(last) == (COUNTED + 30) - (last_page - 1) * PAGE_SIZE
    assert search(connection, "dien bien", 2, year="2021")[0]["total"] == (COUNTED + 30) // 2


@pytest.mark.parametrize("archive_size", ["titles dense", "titles sparse"])
def test_past_thousands_of_title_matches_the_titles_come_newest_first(tmp_path, archive_size):
    """A title holds a phrase once: past TITLES_RANKED of them the first tier is newest first (found by testing the
    newest articles when titles are dense, by walking the dates otherwise), and the body's matches still follow."""
    titles = TITLES_RANKED + 60
    bodies = [("Tin huyện", f"{FILLER} {PHRASE}.")] * 30 + [(f"{PHRASE} {i}", FILLER) for i in range(titles)]
    hours = [*range(30), *random.Random(5).sample(range(30, 30 + titles), titles)]  # the body's matches the newest
    when = datetime(2024, 12, 31, 20, tzinfo=timezone(timedelta(hours=7)))
    published = [(when - timedelta(hours=h)).isoformat() for h in hours]
    connection = build(tmp_path / "archive.db", bodies, published.__getitem__)
    if archive_size == "titles sparse":  # an archive of 10,000,000 articles, as far as the plan can tell
        connection.execute("insert into articles(rowid, id, url, title) values (10000000, 'far', 'http://x/far', 'x')")
    newest_titles = [f"a{i:04d}" for i in sorted(range(30, 30 + titles), key=lambda i: hours[i])]
    assert ids(search(connection, "nong thon moi")) == newest_titles[:PAGE_SIZE]
    assert ids(search(connection, PHRASE, 2)) == newest_titles[PAGE_SIZE : 2 * PAGE_SIZE]
    found = ids(every_page(connection, "nong thon moi"))
    assert found == newest_titles + found[titles:] and sorted(found[titles:]) == [f"a{i:04d}" for i in range(30)]
    # fewer than TITLES_RANKED titles of November: ranked by bm25 again, and all titles before the bodies
    in_november = {i for i in newest_titles if published[int(i[1:])].startswith("2024-11")}
    assert TITLES_RANKED > len(in_november) > PAGE_SIZE
    assert set(ids(search(connection, PHRASE, month="2024-11"))) < in_november
