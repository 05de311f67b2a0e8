"""`?_search=` on the table page reads the same articles, count and facets whichever query plan it picks."""

from __future__ import annotations

import asyncio

import pytest
from datasette.app import Datasette
from test_search_ranking import FILLER, PHRASE, build

from archive.web import config, search_pages
from archive.web.search_pages import COUNTED, PAGE_SIZE

ANSWER = ("rows", "filtered_table_rows_count", "facet_results")


def table(path, **args) -> dict:
    """The table page's JSON for `args`, from Datasette in this process (the plugin is installed)."""

    async def get() -> dict:
        datasette = Datasette([str(path)], metadata=config.metadata(path))
        response = await datasette.client.get(f"/{path.stem}/articles.json", params={"_shape": "objects", **args})
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(get())


@pytest.mark.parametrize("args", [{"_size": "max"}, {"_size": "max", "_nofacet": "1", "_nocount": "1"}])
def test_both_plans_give_the_same_page_count_and_facets(tmp_path, monkeypatch, args):
    path = tmp_path / "archive.db"
    build(path, [("Tin huyện", f"{FILLER} {PHRASE}") for _ in range(40)] + [("Tin khác", FILLER)] * 20).close()
    for q in (PHRASE, "nong thon moi", "mắt"):
        read_rows = table(path, _search=q, _facet="year", **args)
        monkeypatch.setattr(search_pages, "MANY_FOR_PAGE", 1)
        monkeypatch.setattr(search_pages, "MANY_FOR_FACETS", 1)
        walk_indexes = table(path, _search=q, _facet="year", **args)
        # A page alone tests the newest articles one by one: here the 7 newest, and it walks the others.
        monkeypatch.setattr(search_pages, "NEWEST", 7)
        newest_tested = table(path, _search=q, _facet="year", **args)
        assert [newest_tested.get(key) for key in ANSWER] == [walk_indexes.get(key) for key in ANSWER]
        monkeypatch.undo()
        assert read_rows["rows"] == walk_indexes["rows"]
        assert len(read_rows["rows"]) == (40 if q != "mắt" else 0)
        assert read_rows.get("filtered_table_rows_count") == walk_indexes.get("filtered_table_rows_count")
        assert read_rows["facet_results"] == walk_indexes["facet_results"]


def test_the_table_page_has_a_search_box(tmp_path):
    path = tmp_path / "archive.db"
    build(path, [("Tin huyện", f"{FILLER} {PHRASE}")]).close()

    async def get() -> str:
        datasette = Datasette([str(path)], metadata=config.metadata(path))
        return (await datasette.client.get(f"/{path.stem}/articles?_search=nong+thon")).text

    html = asyncio.run(get())
    assert 'name="_search"' in html and 'value="nong thon"' in html and "search matches" in html


def test_results_page_says_more_than_the_count_and_links_the_next_page(tmp_path):
    path = tmp_path / "archive.db"
    build(path, [("Điện Biên", FILLER)] * (COUNTED + 5)).close()

    async def get(page: int) -> str:
        datasette = Datasette([str(path)], metadata=config.metadata(path), template_dir=str(config.TEMPLATES))
        return (await datasette.client.get(f"/{path.stem}/search?q=dien+bien&page={page}")).text

    first, last = asyncio.run(get(1)), asyncio.run(get(COUNTED // PAGE_SIZE + 1))
    assert f"hơn / more than {COUNTED:,} bài viết" in first and 'rel="next"' in first
    assert f"{COUNTED + 5:,} bài viết" in last and 'rel="next"' not in last
