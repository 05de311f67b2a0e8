"""The search rules on a crawled replica, through `portal-archive serve` (Datasette's `?_search=` and `search`).

Each row of QUERIES: a query, the special articles it must return, and those it must not.
"""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from conftest import get, rows

from replica.corpus import SPECIAL

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731

QUERIES = [
    # without tone marks: every accented form, đ/Đ/Ð as d
    ("dien bien", {"eth", "portal-example", "ocop"}, set()),
    ("mat ong", {"ocop", "table"}, {"eye", "cool"}),
    ("suc khoe", {"old-tone", "new-tone", "empty-author"}, set()),
    ("mat", {"ocop", "eye", "cool"}, set()),
    # with tone marks: exact about them
    ("mật", {"ocop", "table"}, {"eye", "cool"}),
    ("mắt", {"eye"}, {"ocop", "table", "cool"}),
    ("mát", {"cool"}, {"ocop", "table", "eye"}),
    ("mật ong hoa ban", {"ocop", "table"}, {"eye", "cool"}),
    ("Điện Biên", {"eth", "portal-example", "ocop"}, set()),
    ("ÐIỆN BIÊN", {"eth", "portal-example", "ocop"}, set()),  # U+00D0 in the query
    ("điên", set(), {"eth", "ocop"}),  # "crazy", not Điện
    # old and new tone placement, both ways
    ("hòa giải", {"old-tone", "new-tone"}, set()),
    ("hoà giải", {"old-tone", "new-tone"}, set()),
    ("thủy lợi", {"old-tone", "new-tone", "nfd"}, set()),
    ("thuỷ lợi", {"old-tone", "new-tone", "nfd"}, set()),
    ("sức khỏe", {"old-tone", "new-tone"}, set()),
    ("sức khoẻ", {"old-tone", "new-tone"}, set()),
    ("Ủy ban nhân dân", {"old-tone", "new-tone"}, set()),
    # NFD queries, NFD-served pages, case
    (NFD("kênh mương thủy lợi"), {"nfd"}, {"ocop"}),
    ("nạo vét kênh mương", {"nfd"}, set()),
    ("NẠO VÉT", {"nfd"}, set()),
    ("MẬT ONG", {"ocop"}, {"eye"}),
    # scripts and styles of the page are never indexed
    ("mã độc chèn vào", set(), {"script-injection"}),
    ("insertAdjacentHTML", set(), {"script-injection"}),
    ("alert", set(), {"script-injection"}),
    ("tenCongThongTin", set(), {"ocop", "seed"}),
    ("loiChao", set(), {"ocop", "seed"}),
    ("trackPageview", set(), {"ocop", "seed"}),
    ("Kiểu chữ cũ", set(), {"ocop", "seed"}),
    # what the injected page really says is found
    ("lừa đảo không gian mạng", {"script-injection"}, set()),
]


def ids(db, names) -> dict[str, str]:
    """Archive ids of the special articles `names`."""
    found = {}
    for name in names:
        (row,) = rows(db, "select id from articles where url like ?", (f"%/T/{SPECIAL[name]}",))
        found[row["id"]] = name
    return found


def table_search(base: str, query: str, **extra) -> dict:
    args = urlencode({"_search": query, "_shape": "objects", **extra})
    status, body = get(f"{base}/archive/articles.json?{args}")
    assert status == 200, body
    return json.loads(body)


def ranked(base: str, query: str, page: int = 1, **extra) -> list[dict]:
    args = urlencode({"q": query, "page": page, "_shape": "objects", **extra})
    status, body = get(f"{base}/archive/search.json?{args}")
    assert status == 200, body
    return json.loads(body)["rows"]


@pytest.mark.parametrize(("query", "must", "must_not"), QUERIES, ids=[q for q, _, _ in QUERIES])
def test_query_table(served, query, must, must_not):
    base, _, db = served
    wanted = ids(db, must | must_not)
    returned = table_search(base, query, id__in=",".join(wanted), _size="max")["rows"]
    got = {wanted[row["id"]] for row in returned}
    assert got == must, f"{query!r}: returned {sorted(got)}, expected {sorted(must)}"


@pytest.mark.parametrize("query", ["dien bien", "mật ong", "nông thôn mới", "thuỷ lợi", "mắt"])
def test_table_search_and_ranked_search_agree(served, query):
    base, _, _ = served
    table = table_search(base, query, _size=50)
    best = ranked(base, query)
    assert best, query
    assert best[0]["total"] == table["filtered_table_rows_count"]
    assert {row["id"] for row in best} <= {row["id"] for row in table_search(base, query, _size="max")["rows"]}


def test_phrase_ranks_above_scattered_words(served):
    base, _, db = served
    (scattered,) = ids(db, ["scattered"])
    order, page = [], 1
    while scattered not in order:
        found = ranked(base, "nông thôn mới", page)
        assert found, "the article with the words scattered was not returned"
        order += [row["id"] for row in found]
        page += 1
    phrase = {
        r["id"]
        for r in rows(db, "select id from articles where lower(title || ' ' || body_text) like ?", ("%nông thôn mới%",))
    }
    assert phrase and phrase <= set(order[: order.index(scattered)])


def test_title_matches_rank_first(served):
    base, _, _ = served
    best = ranked(base, "mật ong")
    assert "<mark>mật</mark> <mark>ong</mark>" in best[0]["title_html"].lower()
    assert "<mark>" in best[0]["snippet"]


def test_filters_and_newest_first(served):
    base, _, db = served
    newest = ranked(base, "dien bien", sort="newest")
    dates = [row["published_at"] for row in newest]
    assert dates == sorted(dates, reverse=True)
    in_2022 = ranked(base, "dien bien", year="2022")
    assert in_2022 and all(row["published_at"].startswith("2022") for row in in_2022)
    author = "Lò Văn Tiến - Phòng Nông nghiệp"
    by_author = ranked(base, "lua", author=author)
    assert by_author and all(row["author"] == author for row in by_author)
    march = ranked(base, "suc khoe", month="2023-03")
    assert {row["id"] for row in march} >= set(ids(db, ["new-tone"]))


def test_search_results_export_as_csv_and_json(served):
    base, _, _ = served
    status, csv = get(f"{base}/archive/search.csv?" + urlencode({"q": "mat ong"}))
    assert status == 200 and csv.splitlines()[0].startswith("id,title,title_html,published_at")
    assert "Mật ong hoa ban" in csv
    status, csv = get(f"{base}/archive/articles.csv?" + urlencode({"_search": "mắt", "_stream": "on"}))
    assert status == 200 and "Khám, điều trị bệnh về mắt" in csv and "Mật ong hoa ban" not in csv


def test_front_page_is_a_search_box_with_the_collection(served):
    base, replica, db = served
    status, html = get(f"{base}/")
    assert status == 200
    assert 'action="/archive/search"' in html and 'name="q"' in html
    count = rows(db, "select count(*) from articles")[0][0]
    assert f"<strong>{count:,}</strong> articles" in html
    assert f"of {len(replica.articles):,} listed by the portal" in html
    first, last = rows(db, "select min(published_at), max(published_at) from articles")[0]
    assert f"published {first[:10]} to {last[:10]}" in html


def test_results_page_shows_title_date_author_snippet(served):
    base, _, db = served
    status, html = get(f"{base}/archive/search?" + urlencode({"q": "mat ong hoa ban"}))
    assert status == 200
    (row,) = rows(db, "select id from articles where url like ?", (f"%/T/{SPECIAL['ocop']}",))
    result = html.split(f'href="/archive/articles/{row["id"]}"', 1)[1].split("</li>", 1)[0]
    assert "<mark>Mật</mark> <mark>ong</mark> <mark>hoa</mark> <mark>ban</mark>" in result
    assert "2022-11-11" in result and "Nguyễn Hoài Nam" in result
    assert 'class="snippet"' in result


def test_article_page_links_original_wayback_and_citation(served):
    base, _, db = served
    (row,) = rows(db, "select id, url, title, fetched_at from articles where url like ?", (f"%/T/{SPECIAL['ocop']}",))
    status, html = get(f"{base}/archive/articles/{row['id']}")
    assert status == 200
    assert f'href="https://web.archive.org/web/*/{row["url"]}"' in html
    citation = html.split('<p class="citation">', 1)[1].split("</p>", 1)[0]
    assert row["title"] in citation and row["url"] in citation and "2022-11-11" in citation
    assert row["fetched_at"][:10] in citation and "Điện Biên" in citation
    assert "Mật ong hoa ban đạt 4 sao OCOP" in html  # the caption


def test_atom_feed_of_newest_articles(served):
    base, _, db = served
    status, feed = get(f"{base}/archive/feed.atom")
    assert status == 200
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(feed.encode("utf-8")).findall(f"{atom}entry")
    newest = rows(db, "select title, url from articles order by published_at desc limit 50")
    assert [e.findtext(f"{atom}title") for e in entries] == [r["title"] for r in newest]
    assert [e.find(f"{atom}link").get("href") for e in entries] == [r["url"] for r in newest]
    assert all("<script" not in (e.findtext(f"{atom}content") or "") for e in entries)
    status, html = get(f"{base}/")
    assert 'type="application/atom+xml"' in html and "/archive/feed.atom" in html
