"""OCOP analytics in the served archive: canned queries (JSON and CSV) and the dashboard in a real browser."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import get, rows
from playwright.sync_api import sync_playwright

from archive.web.dashboard import DOCUMENTS_CITED, MENTIONS_BY_MONTH, PRODUCTS
from replica.corpus import SPECIAL

QUERIES = {
    "ocop_mentions_by_month": (MENTIONS_BY_MONTH, ["month", "articles", "mentions"]),
    "ocop_products": (
        PRODUCTS,
        ["product", "product_normalised", "best_stars", "first_mention", "last_mention", "articles"],
    ),
    "documents_cited": (DOCUMENTS_CITED, ["ref", "kind", "issuer", "year", "articles"]),
}


@pytest.mark.parametrize("name", QUERIES)
def test_canned_query_json_and_csv_match_the_archive(served, name):
    base, _, db = served
    sql, columns = QUERIES[name]
    expected = [list(row) for row in rows(db, sql)]
    assert expected, f"{name} is empty on the crawled replica"
    status, body = get(f"{base}/archive/{name}.json?_shape=array&_size=max")
    assert status == 200
    assert [[row[column] for column in columns] for row in json.loads(body)] == expected
    status, text = get(f"{base}/archive/{name}.csv?_size=max")
    assert status == 200
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == columns
    assert [[str(value) if value is not None else "" for value in row] for row in expected] == table[1:]


def test_monthly_series_counts_every_mention_and_no_hotel(served):
    base, replica, db = served
    series = json.loads(get(f"{base}/archive/ocop_mentions_by_month.json?_shape=array&_size=max")[1])
    assert sum(row["mentions"] for row in series) == rows(db, "select count(*) from ocop_mentions")[0][0]
    assert [row["month"] for row in series] == sorted(row["month"] for row in series)
    seed = next(a for a in replica.articles if "seed" in a.quirks)
    hotel = next(a for a in replica.articles if "hotel-stars" in a.quirks)
    months = {row["month"]: row["articles"] for row in series}
    assert months["2020-09"] >= 1  # the seed article, 17/09/2020
    (hotel_id,) = rows(db, "select id from articles where url = ?", (replica.origin + hotel.path,))[0]
    (seed_id,) = rows(db, "select id from articles where url = ?", (replica.origin + seed.path,))[0]
    mentioned = {row[0] for row in rows(db, "select distinct article_id from ocop_mentions")}
    assert seed_id in mentioned and hotel_id not in mentioned


def test_products_and_documents_of_the_special_articles(served):
    base, replica, db = served
    products = json.loads(get(f"{base}/archive/ocop_products.json?_shape=array&_size=max")[1])
    best = {row["product_normalised"]: row["best_stars"] for row in products}
    assert best["gạo tám & séng cù tâm sáng"] == 3  # a row of the OCOP table (2021), named nowhere else
    special = {"ocop": ("Mật ong hoa ban", 4), "table": ("Gạo Tám & Séng cù Tâm Sáng", 3)}
    for name, rating in special.items():
        article = next(a for a in replica.articles if a.slug == SPECIAL[name])
        found = rows(
            db,
            "select product, stars from ocop_ratings join articles on articles.id = article_id where url = ?",
            (replica.origin + article.path,),
        )
        assert rating in [tuple(row) for row in found]
        assert best[rating[0].lower()] >= rating[1]
    documents = json.loads(get(f"{base}/archive/documents_cited.json?_shape=array&_size=max")[1])
    cited = {row["ref"]: row for row in documents}
    assert cited["781/QĐ-TTg"]["kind"] == "Quyết định" and cited["781/QĐ-TTg"]["issuer"] == "Thủ tướng Chính phủ"
    assert cited["1250/QĐ-UBND"]["year"] == 2022  # "Quyết định số 1250/QĐ-UBND ngày 08/11/2022"
    assert not [ref for ref in cited if ref.replace("/", "").isdigit()]  # no date taken for a reference


def test_dashboard_renders_the_monthly_chart_and_linked_ratings(served):
    base, _, db = served
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{base}/-/dashboards/ocop")
            marks = page.locator("#chart-mentions-by-month svg .mark-line path, #chart-mentions-by-month svg path")
            marks.first.wait_for(timeout=30_000)
            points = page.locator("#chart-mentions-by-month svg .mark-symbol path")
            assert points.count() == len(rows(db, MENTIONS_BY_MONTH))
            links = page.locator("#chart-rated-products table tbody tr td a")
            links.first.wait_for(timeout=30_000)
            assert links.count() == rows(db, "select count(*) from ocop_ratings")[0][0]
            for name in QUERIES:  # every canned query and its CSV one click away
                assert page.locator(f'a[href="/archive/{name}.csv?_size=max"]').count() == 1
            link = links.filter(has_not_text=" | ").first  # a sentence (a table row reads differently on the page)
            sentence = link.inner_text()
            link.click()
            page.wait_for_url(f"{base}/archive/articles/*")
            assert sentence in " ".join(page.locator("body").inner_text().split())
        finally:
            browser.close()
    assert errors == []
