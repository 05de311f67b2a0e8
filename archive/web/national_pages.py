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
from archive.web.search_pages import FILTERS, SEARCH_QUERY, match_clause, search_sql

PLACES = ("province", "district", "portal")
PLACE_FACETS = (*PLACES, "year")
# The counts of a search's matches by province, district, portal and year: reading the matching rows (their place
# columns after the body), then grouping them. For one query of four columns this beats walking an index of the four
# columns up to about half of a national archive matching (bench/national.py), so the search always reads the rows.
_GROUPED = "select {columns}, count(*) as n from ({sql}) group by {columns}"
_SEARCHED = "select * from articles where " + match_clause("rowid")
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
    """Facets of `articles` by several columns (`{"places": {"columns": [...]}}` in the metadata), counted in one
    query, and shown as Datasette's column facets are; a column also asked for with `?_facet=` is left to those."""

    type = "places"

    async def facet_results(self):
        requested = set(self.request.args.getlist("_facet"))
        columns = [c for config in self.get_configs() for c in config["config"]["columns"] if c not in requested]
        if not columns:
            return [], []
        try:
            groups = await self._groups()
        except QueryInterrupted:
            return [], columns
        return [self._facet(column, groups) for column in columns], []

    async def _groups(self) -> list[dict]:
        """Rows of every configured column and `n`, the matches of that combination: begun with the search when the
        search is the page's only filter (`begin_search_facets`), else counted now."""
        begun = _BEGUN.pop(self.request, None)
        searched = any(self.sql.endswith(f" where {match_clause(rowid)} ") for rowid in ("rowid", "+rowid"))
        if begun is not None and searched:
            return await begun
        if begun is not None:
            begun.cancel()
        return await _grouped(self.ds, self.database, self.sql, self.params)

    def _facet(self, column: str, groups: list[dict]) -> dict:
        counts = Counter()
        for group in groups:
            if group[column] is not None:
                counts[group[column]] += group["n"]
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
            "type": self.type,
            "hideable": False,
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
            "results": results,
            "truncated": len(ordered) > size,
        }


async def _grouped(datasette, database: str, sql: str, params) -> list[dict]:
    columns = ", ".join(PLACE_FACETS)
    result = await datasette.execute(
        database,
        _GROUPED.format(columns=columns, sql=sql),
        params,
        custom_time_limit=datasette.setting("facet_time_limit_ms"),
    )
    return [dict(row) for row in result.rows]


@hookimpl
def register_facet_classes():
    return [PlaceFacets]


@hookimpl
def filters_from_request(request, database, table, datasette):
    """Begin the place facets of a search of a national archive's articles (no filter of its own)."""
    search = request.args.get("_search")
    nofacet = request.args.get("_nofacet") or request.args.get("_shape") in ("array", "object")
    if table != "articles" or not search or nofacet:
        return None

    async def begin() -> FilterArguments:
        if await datasette.get_database(database).table_exists("portals"):
            task = asyncio.ensure_future(_grouped(datasette, database, _SEARCHED, {"search": search}))
            task.add_done_callback(lambda done: done.cancelled() or done.exception())  # no "never retrieved"
            _BEGUN[request] = task
        return FilterArguments([])

    return begin
