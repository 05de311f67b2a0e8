"""The national archive inside Datasette: facets and search filters by province, district and portal, the OCOP
dashboard by district and province, and the registry on the front page (`archive.national` builds the archive).

`national_metadata(db_name)` is merged into the metadata of an archive that has a `portals` table.

The facets of `articles` by province, district, portal and year are one facet type, `places`: counted together in
one pass over the matching articles, where Datasette's column facets go over them once for each column. Their sum
is the number of matches, so on a served (immutable) national archive Datasette does not count a search's matches
again (`?_nocount=places` is added to the request): the page, its JSON included, says the places' total.

For a search alone, that pass reads no row: it counts the matches the full-text index gives against the places of
all articles, held in memory (`archive.web.place_counts`, read at startup). It begins when the filter is read, on
another of Datasette's connections (and so on the other core of a two-core machine), while Datasette finds the page.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections import Counter
from urllib.parse import parse_qs, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import path_with_added_args, path_with_removed_args

from archive.web import place_counts
from archive.web.dashboard import html_escaped
from archive.web.search_pages import FILTERS, PAGE_ONLY, PLANS, SEARCH_QUERY, match_clause, search_sql

PLACES = ("province", "district", "portal")
PLACE_FACETS = (*PLACES, "year")
# The counts of the matching articles by portal and year, one pass: a portal's province and district are its
# registry row's (`archive.national` keeps its rows so), so those facets are sums of these counts.
_GROUPED = "select portal, year, count(*) as n from ({sql}) group by portal, year"
_BEGUN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # request → its search's grouped counts, begun
_PLACES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Datasette → {database: its PlaceMap}
# A search alone is counted by place in this many parts side by side: the cores of the machine this was measured on
# (bench/national.py); its page takes a third of Datasette's three connections.
PARTS = 2
# The scope key of a request whose matches are counted by the place facets alone: what they count goes in it.
COUNTED = "portal_archive.counted_by_places"
BY_PLACES = "places"  # the value of the `_nocount` such a request gets


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
        searched = any(self.sql.endswith(f" where {match_clause(plan)} ") for plan in PLANS)
        if begun is not None and searched:
            groups = await begun
        else:
            if begun is not None:
                begun.cancel()
            groups = await _grouped(self.ds, self.database, self.sql, self.params)
        counted = self.request.scope.get(COUNTED)
        if counted is not None:
            counted["total"] = sum(n for _, _, n in groups)
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


async def _matches_by_place(db, places: place_counts.PlaceMap, search: str) -> list[tuple]:
    """(portal, year, matches) of `search`, counted in PARTS ranges of rowids side by side."""

    def counter(low: int, high: int):
        return lambda conn: place_counts.matches_by_group(conn, places, search, low, high)

    parts = place_counts.parts(places, PARTS)
    counts = await asyncio.gather(*(db.execute_fn(counter(low, high)) for low, high in parts))
    return place_counts.by_place(places, sum(counts, Counter()))


async def _grouped(datasette, database: str, sql: str, params) -> list[tuple]:
    """The rows of `sql` (a select of `articles` rows) counted by portal and year."""
    limit = datasette.setting("facet_time_limit_ms")
    return (await datasette.execute(database, _GROUPED.format(sql=sql), params, custom_time_limit=limit)).rows


@hookimpl
def register_facet_classes():
    return [PlaceFacets]


def _counted_by_places(args: dict[str, list[str]]) -> bool:
    """Whether the place facets count the matches of a table search with these query arguments (and so Datasette
    need not): a search, with facets, not all the place columns left to Datasette's column facets, and the first
    page (Datasette's facets of a later page count only the rows after it)."""
    shown = args.get("_shape", [""])[0] in ("", "arrays", "objects") and not args.get("_nofacet", [""])[0]
    as_columns = set(PLACE_FACETS) <= set(args.get("_facet", []))
    return bool(args.get("_search", [""])[0]) and shown and not as_columns and "_next" not in args


@hookimpl
def startup(datasette):
    """Read the places of every served national archive's articles (one pass over an index, ~1 s a million)."""

    async def read_places() -> None:
        for name, db in datasette.databases.items():
            if not db.is_mutable and await db.table_exists("portals"):
                _PLACES.setdefault(datasette, {})[name] = await db.execute_fn(place_counts.place_map)

    return read_places


@hookimpl
def asgi_wrapper(datasette):
    """Let the place facets count a search of a served national archive's `articles` (`_counted_by_places`): the
    request gets `_nocount=places`, and the JSON the places' total (the HTML page has it from `extra_template_vars`).
    The pages' links carry that `_nocount` on, so it is taken off again where the place facets do not count."""

    def wrap(app):
        async def counted_by_places(scope, receive, send):
            database, _, table = scope.get("path", "").strip("/").partition("/")
            if (
                scope["type"] != "http"
                or table not in ("articles", "articles.json")
                or database not in _PLACES.get(datasette, {})
            ):
                return await app(scope, receive, send)
            args = parse_qs(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            carried = args.pop("_nocount") if args.get("_nocount") == [BY_PLACES] else None  # by a page's link
            if not _counted_by_places(args):
                if carried:
                    scope = {**scope, "query_string": urlencode(args, doseq=True).encode("ascii")}
                return await app(scope, receive, send)
            counted: dict = {}
            query = urlencode({**args, "_nocount": BY_PLACES}, doseq=True).encode("ascii")
            scope = {**scope, "query_string": query, COUNTED: counted}
            await app(scope, receive, send if table == "articles" else _with_total(send, counted))

        return counted_by_places

    return wrap


def _with_total(send, counted: dict):
    """`send` for a table page's JSON, with `filtered_table_rows_count` set to the places' total."""
    start: dict = {}
    body: list[bytes] = []

    async def send_with_total(message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        body.append(message.get("body", b""))
        if message.get("more_body"):
            return
        content = b"".join(body)
        if start["status"] == 200 and "total" in counted:
            data = json.loads(content)
            data["filtered_table_rows_count"] = counted["total"]
            content = json.dumps(data).encode()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(content)).encode())]})
        await send({"type": "http.response.body", "body": content})

    return send_with_total


@hookimpl
def extra_template_vars(view_name, request):
    """The count of a table page whose matches the place facets counted."""
    counted = request.scope.get(COUNTED) if view_name == "table" and request is not None else None
    return {"filtered_table_rows_count": counted["total"]} if counted and "total" in counted else {}


@hookimpl
def filters_from_request(request, database, table, datasette):
    """Begin the place facets of a search of a national archive's articles (a filter of none of its own)."""
    places = _PLACES.get(datasette, {}).get(database)
    # Another filter beside the search (a column's, `_where`, a next page): the facets count what both select, so
    # a count begun for the search alone would go unused (and its query on, once begun).
    filtered = any(not arg.startswith("_") or arg in ("_where", "_next", "_through") for arg in request.args)
    args = parse_qs(request.query_string, keep_blank_values=True)
    if table != "articles" or places is None or filtered or not _counted_by_places(args):
        return None

    async def begin() -> FilterArguments:
        task = asyncio.ensure_future(_matches_by_place(datasette.get_database(database), places, args["_search"][0]))
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # no "never retrieved"
        _BEGUN[request] = task
        # The page is then all that reads the search's filter, unless column facets are asked for or suggested.
        columns = request.args.getlist("_facet") or datasette.setting("suggest_facets")
        request.scope[PAGE_ONLY] = COUNTED in request.scope and not columns
        return FilterArguments([])

    return begin
