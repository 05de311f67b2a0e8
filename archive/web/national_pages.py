"""The national archive inside Datasette: facets and search filters by province, district and portal, the OCOP
dashboard by district and province, and the registry on the front page (`archive.national` builds the archive).

`national_metadata(db_name)` is merged into the metadata of an archive that has a `portals` table.
"""

from __future__ import annotations

from archive.web.dashboard import html_escaped
from archive.web.search_pages import FILTERS, SEARCH_QUERY, search_sql

PLACES = ("province", "district", "portal")

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
                    "articles": {"facets": [*PLACES, "year"]},
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
