"""A national archive's search counted by place without reading its rows, and the table page that says that count
instead of counting again."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections import Counter
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from datasette.app import Datasette
from test_search_ranking import FILLER, PHRASE, build

from archive import national
from archive.db import open_db
from archive.search import fts_query
from archive.web import config, place_counts, search_pages

PORTALS = ("huyen-a", "huyen-b", "huyen-c")
MATCHING = "select rowid from articles_fts where articles_fts match ?"


def national_archive(path, interleaved: bool) -> sqlite3.Connection:
    """60 articles over three portals and two years, two thirds with the phrase: each portal's rowids together, a
    year after the other, or the portals dealt round."""
    bodies = [(f"Tin {i}", f"{FILLER} {PHRASE}" if i % 3 else FILLER) for i in range(60)]
    build(path, bodies, lambda i: f"{2022 - i % 20 // 10}-03-{28 - i // 20:02d}T08:{i:02d}:00+07:00").close()
    db = open_db(path)
    national.ensure_schema(db)
    db["portals"].insert_all({"id": p, "province": f"Tỉnh {p[-1]}", "district": p, "state": "live"} for p in PORTALS)
    for rowid in range(1, 61):
        portal = PORTALS[rowid % 3] if interleaved else PORTALS[(rowid - 1) // 20]
        db.execute("update articles set portal = ?, province = ?, district = ? where rowid = ?",
                   [portal, f"Tỉnh {portal[-1]}", portal, rowid])  # fmt: skip
    db.conn.commit()
    db.close()
    connection = sqlite3.connect(path)
    search_pages.prepare_connection(connection)
    return connection


@pytest.mark.parametrize("interleaved", [False, True])
@pytest.mark.parametrize("cost", [0, 10**9])  # every stretch searched, every match looked up
def test_the_matches_by_place_are_what_sql_counts(tmp_path, monkeypatch, interleaved, cost):
    monkeypatch.setattr(place_counts, "SEARCH_COST", cost)
    connection = national_archive(tmp_path / "national.db", interleaved)
    places = place_counts.place_map(connection)
    assert len(places.starts) == (61 if interleaved else 7)  # runs of rowids: the gap before rowid 1, then places
    for q in (PHRASE, "nong thon moi", "mắt", "tin"):
        expected = connection.execute(
            f"select portal, year, count(*) from articles where rowid in ({MATCHING}) group by portal, year",
            (fts_query(q),),
        ).fetchall()
        for count in (1, 2, 7):
            counts = sum((place_counts.matches_by_group(connection, places, q, *part)
                          for part in place_counts.parts(places, count)), Counter())  # fmt: skip
            assert sorted(place_counts.by_place(places, counts)) == sorted(expected), (q, count)


def served(path, *requests: tuple[str, dict]) -> list:
    """The responses of Datasette in this process (the plugins installed), serving `path` immutable as
    `portal-archive serve` does, with the SQL each request ran (`_trace`)."""

    async def get() -> list:
        datasette = Datasette(
            immutables=[str(path)],
            metadata=config.metadata(path),
            settings={"trace_debug": True, "suggest_facets": False},
        )
        await datasette.invoke_startup()  # as `datasette serve` does before it serves
        return [await datasette.client.get(f"/{path.stem}/{page}", params=args) for page, args in requests]

    return asyncio.run(get())


def test_a_search_is_counted_once_by_its_place_facets(tmp_path):
    path = tmp_path / "national.db"
    connection = national_archive(path, interleaved=False)
    matches = connection.execute(f"select count(*) from ({MATCHING})", (fts_query(PHRASE),)).fetchone()[0]
    by_portal = dict(connection.execute(
        f"select portal, count(*) from articles where rowid in ({MATCHING}) group by portal", (fts_query(PHRASE),)
    ).fetchall())  # fmt: skip
    connection.close()
    assert matches == 40 and len(by_portal) == 3
    search = {"_search": PHRASE, "_size": "5"}
    first, narrowed, unfaceted, html = served(
        path,
        ("articles.json", {**search, "_trace": "1"}),
        ("articles.json", {**search, "portal": "huyen-b", "_trace": "1"}),
        ("articles.json", {**search, "_nofacet": "1"}),
        ("articles", search),
    )
    page = first.json()
    assert page["filtered_table_rows_count"] == matches
    assert {f["value"]: f["count"] for f in page["facet_results"]["portal"]["results"]} == by_portal
    for response in (first, narrowed):  # Datasette's own count is not run: the places' total is the count
        statements = [trace["sql"] for trace in response.json()["_trace"]["traces"]]
        assert not any(sql.startswith("select count(*) from articles where") for sql in statements), statements
    assert narrowed.json()["filtered_table_rows_count"] == by_portal["huyen-b"]
    assert re.search(rf"{matches} rows\s+where search matches", html.text)
    # A later page (its facets count only the rows after it), and a page without facets, are counted by Datasette,
    # though the link to the later page carries on the `_nocount` the first page was given.
    link = urlsplit(page["next_url"])
    assert "_nocount" in parse_qs(link.query)
    (later,) = served(path, (link.path.rpartition("/")[2], dict(parse_qsl(link.query))))
    assert later.json()["filtered_table_rows_count"] == unfaceted.json()["filtered_table_rows_count"] == matches
