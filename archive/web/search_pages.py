"""`?_search=` on the `articles` table page, with the query plan chosen by how many articles match.

Datasette's own filter, `rowid in (select rowid from articles_fts where articles_fts match ...)`, has SQLite read
every matching article by its rowid: for a search matching most of the archive, 64,000 row reads for the page, as
many for the count and again for each facet. With `+rowid` SQLite walks the date, year, month or author index
instead and checks each entry against the matches, which costs about the same whatever the number of matches and
pays only for common words. So the filter first counts the matches up to the point where walking the index wins
(a fraction of a millisecond) and picks the plan. The metadata gives `articles` no `fts_table`, so Datasette's
filter stays out and this is the only one; the match is `escape_fts` (Vietnamese rules) in both plans.
"""

from __future__ import annotations

from datasette.filters import FilterArguments

MATCHING = "from articles_fts where articles_fts match escape_fts(:search)"
# From this many matches walking an index beats reading the rows: for one page of rows (ordered by date), and for
# a page with its count and three facets (bench/search.py: 64,000 matches, 0.3 s → see README).
MANY_FOR_PAGE = 5_000
MANY_FOR_FACETS = 30_000


async def search_filter(request, db) -> FilterArguments:
    """The `_search` filter of the `articles` table page (the search box is shown with or without a search)."""
    search = request.args.get("_search")
    if not search:
        return FilterArguments([], extra_context={"supports_search": True})
    page_only = request.args.get("_shape") in ("array", "object") or (
        request.args.get("_nofacet") and request.args.get("_nocount")
    )
    many = MANY_FOR_PAGE if page_only else MANY_FOR_FACETS
    counted = await db.execute(
        f"select count(*) from (select 1 {MATCHING} limit :many)", {"search": search, "many": many}
    )
    rowid = "+rowid" if counted.single_value() >= many else "rowid"
    return FilterArguments(
        [f"{rowid} in (select rowid {MATCHING})"],
        {"search": search},
        [f'search matches "{search}"'],
        {"supports_search": True, "search": search},
    )
