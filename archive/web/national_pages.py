"""The national archive inside Datasette: facets and search filters by province, district and portal, the OCOP
dashboard by district and province, and the registry on the front page (`archive.national` builds the archive).

`national_metadata(db_name)` is merged into the metadata of an archive that has a `portals` table.

The facets of `articles` by province, district, portal and year are one facet type, `places`: counted together in
one pass over the matching articles, where Datasette's column facets go over them once for each column. For a
search, that pass begins when the filter is read, on another of Datasette's connections (and so on the other core
of a two-core machine), while Datasette finds the page and counts the matches.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import Counter

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import path_with_added_args, path_with_removed_args

from archive.web.dashboard import html_escaped
from archive.web.search_pages import (
    FILTERS,
    MANY_FOR_FACETS,
    SEARCH_QUERY,
    article_count,
    match_clause,
    match_plan,
    search_sql,
)

PLACES = ("province", "district", "portal")
PLACE_FACETS = (*PLACES, "year")
# The counts of the matching articles by portal and year, one pass: a portal's province and district are its
# registry row's (`archive.national` keeps its rows so), so those facets are sums of these counts. Reading the
# matching rows costs as many as match, walking the index of (portal, year) as many as the archive holds: the walk
# wins from about SHARE_FOR_PLACES of a national archive matching (bench/national.py).
_GROUPED = "select portal, year, count(*) as n from ({sql}) group by portal, year"
SHARE_FOR_PLACES = 0.06
_BEGUN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # request → its search's grouped counts, begun


OCOP_BY_PROVINCE = """
select province, count(distinct article_id) as articles, count(*) as mentions
from ocop_mentions group by province order by mentions desc, province
"""

OCOP_BY_DISTRICT = f"""
select {html_escaped("m.province")} as province, {html_escaped("m.district")} as district,
  {html_escaped("m.portal")} as portal, count(distinct m.article_id) as articles, count(*) as mentions,
  (select count(distinct r.product_normalised) from ocop_ratings r where r.portal = m.portal) as rated_products,
  (select max(r.stars) from ocop_ratings r where r.portal = m.portal) as best_stars
from ocop_mentions m group by m.portal order by mentions desc, m.province, m.district
"""

RATINGS_BY_PROVINCE = """
select province, stars, count(distinct product_normalised) as products
from ocop_ratings group by province, stars order by province, stars
"""

PORTALS_SQL = """select id, province, district, start_url, state, articles, declared_total, listed_total,
  first_published, last_published, last_run from portals order by province, district"""


def national_metadata(db_name: str) -> dict:
    """What a national archive adds to an archive's metadata (merged key by key)."""
    queries = {
        "ocop_by_province": ("OCOP mentions by province", OCOP_BY_PROVINCE),
        "ocop_by_district": ("OCOP mentions and ratings by district", OCOP_BY_DISTRICT),
        "ocop_ratings_by_province": ("OCOP rated products by province and stars", RATINGS_BY_PROVINCE),
    }
    return {
        "title": "National archive of Vietnamese district government news",
        "description": "News articles of many district portals, crawled and rescued after Vietnam abolished its "
        "district level of government on 1 July 2025: one search over all of them.",
        "databases": {
            db_name: {
                "tables": {
                    "articles": {"facets": [{PlaceFacets.type: {"columns": list(PLACE_FACETS)}}]},
                    "ocop_mentions": {"facets": ["province", "district", "term"]},
                    "ocop_ratings": {"facets": ["province", "district", "stars"]},
                    "portals": {
                        "description": "The registry: each portal with its archive's figures, and whether it is "
                        "live, gone or rescued from a web archive.",
                        "facets": ["province", "state"],
                    },
                },
                "queries": {
                    SEARCH_QUERY: {"sql": search_sql((*FILTERS, *PLACES))},
                    **{name: {"title": title, "sql": sql.strip()} for name, (title, sql) in queries.items()},
                },
            }
        },
        "plugins": {
            "datasette-dashboards": {
                "ocop": {
                    "layout": [
                        ["mentions-by-province", "ratings-by-province"],
                        ["mentions-by-month"],
                        ["by-district"],
                        ["queries"],
                        ["rated-products"],
                    ],
                    "charts": {
                        "mentions-by-province": {
                            "title": "OCOP mentions by province",
                            "db": db_name,
                            "query": OCOP_BY_PROVINCE.strip(),
                            "library": "vega-lite",
                            "display": {
                                "mark": {"type": "bar", "tooltip": True},
                                "encoding": {
                                    "x": {"field": "province", "type": "nominal", "sort": "-y"},
                                    "y": {"field": "mentions", "type": "quantitative"},
                                },
                            },
                        },
                        "ratings-by-province": {
                            "title": "Rated products by province and stars",
                            "db": db_name,
                            "query": RATINGS_BY_PROVINCE.strip(),
                            "library": "vega-lite",
                            "display": {
                                "mark": {"type": "bar", "tooltip": True},
                                "encoding": {
                                    "x": {"field": "province", "type": "nominal"},
                                    "y": {"field": "products", "type": "quantitative"},
                                    "color": {"field": "stars", "type": "ordinal"},
                                },
                            },
                        },
                        "by-district": {
                            "title": "OCOP by district",
                            "db": db_name,
                            "query": OCOP_BY_DISTRICT.strip(),
                            "library": "table",
                        },
                    },
                }
            }
        },
    }


class PlaceFacets(Facet):
    """Facets of a national archive's `articles` by province, district, portal and year
    (`{"places": {"columns": [...]}}` in the metadata: which of them, in order), counted in one query and shown as
    Datasette's column facets are; a column also asked for with `?_facet=` is left to those."""

    type = "places"

    async def facet_results(self):
        requested = set(self.request.args.getlist("_facet"))
        columns = [c for config in self.get_configs() for c in config["config"]["columns"] if c not in requested]
        if not columns:
            return [], []
        try:
            counts = await self._counts()
        except QueryInterrupted:
            return [], columns
        return [self._facet(column, counts[column]) for column in columns], []

    async def _counts(self) -> dict[str, Counter]:
        """The matches by each place column and year: begun with the search when the search is the page's only
        filter (`filters_from_request`), else counted now."""
        begun = _BEGUN.pop(self.request, None)
        searched = any(self.sql.endswith(f" where {match_clause(rowid)} ") for rowid in ("rowid", "+rowid"))
        if begun is not None and searched:
            groups = await begun
        else:
            if begun is not None:
                begun.cancel()
            groups = await _grouped(self.ds, self.database, self.sql, self.params)
        registry = await self.ds.execute(self.database, "select id, province, district from portals")
        places = {row["id"]: (row["province"], row["district"]) for row in registry.rows}
        counts = {column: Counter() for column in PLACE_FACETS}
        for portal, year, n in groups:
            province, district = places.get(portal, (None, None))
            for column, value in zip(PLACE_FACETS, (province, district, portal, year), strict=True):
                if value is not None:
                    counts[column][value] += n
        return counts

    def _facet(self, column: str, counts: Counter) -> dict:
        size = self.get_facet_size()
        ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
        pairs = self.get_querystring_pairs()
        results = []
        for value, count in ordered[:size]:
            selected = (column, str(value)) in pairs
            toggle = (path_with_removed_args if selected else path_with_added_args)(self.request, {column: str(value)})
            results.append(
                {
                    "value": value,
                    "label": value,
                    "count": count,
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                    "selected": selected,
                }
            )
        return {
            "name": column,
            "type": "column",  # shown as a column facet is
            "hideable": False,
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
            "results": results,
            "truncated": len(ordered) > size,
        }


async def _grouped(datasette, database: str, sql: str, params) -> list[tuple]:
    """The rows of `sql` (a select of `articles` rows) counted by portal and year."""
    limit = datasette.setting("facet_time_limit_ms")
    return (await datasette.execute(database, _GROUPED.format(sql=sql), params, custom_time_limit=limit)).rows


@hookimpl
def register_facet_classes():
    return [PlaceFacets]


@hookimpl
def filters_from_request(request, database, table, datasette):
    """Begin the place facets of a search of a national archive's articles (a filter of none of its own)."""
    search = request.args.get("_search")
    nofacet = request.args.get("_nofacet") or request.args.get("_shape") in ("array", "object")
    as_columns = set(PLACE_FACETS) <= set(request.args.getlist("_facet"))  # all left to Datasette's column facets
    # Another filter beside the search (a column's, `_where`, a next page): the facets count what both select, so
    # a count begun for the search alone would go unused (and its query on, once begun).
    filtered = any(not arg.startswith("_") or arg in ("_where", "_next", "_through") for arg in request.args)
    if table != "articles" or not search or nofacet or as_columns or filtered:
        return None

    async def begin() -> FilterArguments:
        db = datasette.get_database(database)
        if await db.table_exists("portals"):
            many = max(MANY_FOR_FACETS, int(SHARE_FOR_PLACES * article_count(datasette, database)))
            searched = f"select * from articles where {match_clause(await match_plan(db, search, many))}"
            task = asyncio.ensure_future(_grouped(datasette, database, searched, {"search": search}))
            task.add_done_callback(lambda done: done.cancelled() or done.exception())  # no "never retrieved"
            _BEGUN[request] = task
        return FilterArguments([])

    return begin
