"""The OCOP part of the published archive: canned queries, table notes and a datasette-dashboards dashboard.

`ocop_metadata(db_name)` is merged into the Datasette metadata (see `archive.web.config.metadata`). Each canned query
has Datasette's CSV export (`/<db>/<query>.csv`). The dashboard's table is rendered by datasette-dashboards as
HTML, so every scraped value in it is escaped in SQL (`html_escaped`) before it reaches the page.
"""

from __future__ import annotations

MENTIONS_BY_MONTH = """
select substr(published_at, 1, 7) as month, count(distinct article_id) as articles, count(*) as mentions
from ocop_mentions
group by month
order by month
"""

PRODUCTS = """
select
  min(product) as product,
  product_normalised,
  max(stars) as best_stars,
  min(published_at) as first_mention,
  max(published_at) as last_mention,
  count(distinct article_id) as articles
from ocop_ratings
group by product_normalised
order by best_stars desc, articles desc, product_normalised
"""

DOCUMENTS_CITED = """
select ref, max(kind) as kind, max(issuer) as issuer, max(year) as year, count(distinct article_id) as articles
from legal_refs
group by ref
order by articles desc, ref
"""


QUERY_TITLES = {
    "ocop_mentions_by_month": "OCOP mentions by month",
    "ocop_products": "OCOP products",
    "documents_cited": "Documents cited",
}


def html_escaped(column: str) -> str:
    """SQL that HTML-escapes a text column (for a page that shows query results as HTML)."""
    expression = f"coalesce({column}, '')"
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("''", "&#39;")):
        expression = f"replace({expression}, '{char}', '{entity}')"
    return expression


def rated_products_sql(db_name: str) -> str:
    """Every rating, newest first, its sentence linked to the article it is read from (one click to check)."""
    return f"""
select
  {html_escaped("r.product")} as product,
  r.stars,
  substr(r.published_at, 1, 10) as date,
  {html_escaped("r.producer")} as producer,
  '<a href="/{db_name}/articles/' || r.article_id || '">' || {html_escaped("r.sentence")} || '</a>' as sentence
from ocop_ratings r
order by r.published_at desc, r.product_normalised
"""


def ocop_metadata(db_name: str) -> dict:
    """Metadata for the OCOP tables, canned queries and dashboard of the database `db_name`."""
    return {
        "databases": {
            db_name: {
                "tables": {
                    "ocop_mentions": {
                        "description": "Sentences (title included) that name the OCOP programme, one row per "
                        "sentence and name used ('OCOP' or 'Mỗi xã một sản phẩm').",
                        "sort_desc": "published_at",
                        "facets": ["term"],
                    },
                    "ocop_ratings": {
                        "description": "Products and the OCOP stars they reached, with the sentence (or table "
                        "row) that says so; article_id links to the article.",
                        "sort_desc": "published_at",
                        "facets": ["stars", "product_normalised"],
                    },
                    "legal_refs": {
                        "description": "Documents cited by number (781/QĐ-TTg, 02-NQ/HU ...), kind, issuer and "
                        "year when known.",
                        "facets": ["kind", "issuer", "year"],
                    },
                },
                "queries": {
                    "ocop_mentions_by_month": {
                        "title": QUERY_TITLES["ocop_mentions_by_month"],
                        "description": "Articles that mention OCOP and the number of mentions, month by month.",
                        "sql": MENTIONS_BY_MONTH.strip(),
                    },
                    "ocop_products": {
                        "title": QUERY_TITLES["ocop_products"],
                        "description": "Rated products: best stars, first and last mention, number of articles.",
                        "sql": PRODUCTS.strip(),
                    },
                    "documents_cited": {
                        "title": QUERY_TITLES["documents_cited"],
                        "description": "Legal documents cited in the articles, by number of articles citing them.",
                        "sql": DOCUMENTS_CITED.strip(),
                    },
                },
            }
        },
        "plugins": {
            "datasette-dashboards": {
                "ocop": {
                    "title": "OCOP: One Commune One Product",
                    "description": "Mentions of the OCOP programme over time and the products rated, each rating "
                    "linked to the article it is read from.",
                    "layout": [["mentions-by-month"], ["queries"], ["rated-products"]],
                    "charts": {
                        "queries": {
                            "library": "markdown",
                            "display": " · ".join(
                                f"[{title}](/{db_name}/{name}) ([CSV](/{db_name}/{name}.csv?_size=max))"
                                for name, title in QUERY_TITLES.items()
                            ),
                        },
                        "mentions-by-month": {
                            "title": "OCOP mentions by month",
                            "db": db_name,
                            "query": MENTIONS_BY_MONTH.strip(),
                            "library": "vega-lite",
                            "display": {
                                "mark": {"type": "line", "tooltip": True},
                                "encoding": {
                                    "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth"},
                                    "y": {"field": "mentions", "type": "quantitative"},
                                },
                            },
                        },
                        "rated-products": {
                            "title": "Rated products",
                            "db": db_name,
                            "query": rated_products_sql(db_name).strip(),
                            "library": "table",
                        },
                    },
                }
            }
        },
    }
