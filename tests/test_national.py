"""One machine, no Redis: 20 replica portals crawled through `crawl --portals --source auto`, each into its own
archive: 17 live, archived from themselves, and 3 gone, rescued from one Wayback replica holding them all; then the
national archive of them all, served by `portal-archive serve`, and brought up to date after a portal gained news."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from conftest import assert_rescued_as, cli, get, rows, servable, serving

from archive import national
from archive.db import open_db, store_article, utc_now
from archive.portal_archives import archive_path, save_registry_row, source_for
from archive.registry import Portal, read_registry
from archive.search import fts_query
from archive.whole_portal import store_attachment
from replica.fleet import FleetOptions, start_fleet
from replica.portal import DECISION
from replica.server import free_port, start
from scraper.article import Article
from scraper.attachments import TEXT
from scraper.items import FetchedAttachment

NEW = 3  # articles one portal publishes between two runs
GONE = 3  # portals of the fleet that are gone: only the web archive has them


@pytest.fixture(scope="module")
def fleet_archives(tmp_path_factory):
    """20 portals, 3 of them gone (and a registry row without a start URL), crawled into one archive directory;
    yields (fleet, registry, archive directory, the crawl's output)."""
    tmp = tmp_path_factory.mktemp("fleet")
    registry = tmp / "portals.csv"
    with start_fleet(FleetOptions(portals=20, seed=1, gone=GONE, min_articles=25, max_articles=45), registry) as fleet:
        lines = registry.read_text(encoding="utf-8").splitlines()
        unknown = "unknown-district,Sơn Lĩnh,Chưa Biết,,unknown,"
        registry.write_text("\n".join([*lines, unknown]) + "\n", encoding="utf-8")
        archives = tmp / "archives"
        result = cli("crawl", *crawl_args(fleet, archives), "--parallel", "4", timeout=600)
        yield fleet, registry, archives, result.stdout


def crawl_args(fleet, archives: Path) -> tuple[str, ...]:
    """`crawl --portals` of the fleet: each portal from itself, or from the web archive when it is gone."""
    wayback = ("--cdx-url", fleet.wayback.cdx_url, "--replay-url", fleet.wayback.replay_url)
    return ("--portals", str(fleet.registry), "--archive-dir", str(archives), "--delay", "0.05", "--source", "auto",
            *wayback)  # fmt: skip


def rescued(fleet, portal) -> dict[str, object]:
    """The articles a rescue of a gone portal recovers, by URL: each with its newest good capture (the truth)."""
    truth = fleet.wayback.truth_of(portal.origin)
    return {f"{portal.origin}/T/{t.slug}": t.newest for t in truth.rescuable}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_every_portal_is_archived_completely_into_its_own_archive(fleet_archives):
    fleet, _, archives, output = fleet_archives
    for portal in fleet.live:
        db = archives / portal.id / "archive.db"
        archived = {row["url"] for row in rows(db, "select url from articles")}
        whole = servable(portal.replica, portal.replica.portal.articles)  # every section's, from the home page
        assert archived == {portal.replica.origin + article.path for article in whole}, portal.id
        assert list((archives / portal.id / "warc").glob("*.warc.gz")), portal.id
        assert read_registry(archives / portal.id / "portal.csv") == [portal.entry]  # the archive says where from
        assert f"{portal.id} (live): crawl finished" in output
    assert "unknown-district: skipped: no start URL in the registry" in output
    assert "20 of 20 portals crawled; 1 without a start URL" in output


def test_every_gone_portal_is_rescued_from_the_one_web_archive(fleet_archives):
    fleet, _, archives, output = fleet_archives
    assert len(fleet.gone) == GONE
    for portal in fleet.gone:
        db = archives / portal.id / "archive.db"
        archived = {row["url"]: row for row in rows(db, "select * from articles")}
        wanted = rescued(fleet, portal)
        assert set(archived) == set(wanted) and len(wanted) >= 15, portal.id  # every recoverable article, once
        for url, seen in wanted.items():
            assert_rescued_as(archived[url], seen)
            assert archived[url]["source"] == "wayback"
        assert read_registry(archives / portal.id / "portal.csv") == [portal.entry]
        assert f"{portal.id} (wayback): crawl finished" in output
    assert fleet.wayback.violations == 0  # one rescue at a time, each honouring the archive's Retry-After


def test_portals_lists_the_registry_with_each_archive(fleet_archives):
    fleet, registry, archives, _ = fleet_archives
    listing = cli("portals", "--portals", str(registry), "--archive-dir", str(archives)).stdout
    for portal in fleet.portals:
        line = next(line for line in listing.splitlines() if line.startswith(portal.id + " "))
        if portal.gone:
            assert re.search(rf"\brescued\s+{len(rescued(fleet, portal))}\s", line), line
            continue
        archived = len(servable(portal.replica, portal.replica.portal.articles))
        listed = len(portal.replica.portal.articles)  # the dead link and the robots-forbidden page are listed too
        assert re.search(rf"\blive\s+{archived}\s+{listed}\b", line), line
    assert re.search(r"unknown-district .* unknown\s+0\s+-.*never crawled", listing)


def test_the_national_archive_searches_all_portals_and_comes_up_to_date(fleet_archives, tmp_path):
    fleet, registry, archives, _ = fleet_archives
    national = tmp_path / "national.db"
    cli("national", "--archive-dir", str(archives), "--db", str(national), "--portals", str(registry))
    per_portal = {p.id: len(rows(archives / p.id / "archive.db", "select id from articles")) for p in fleet.portals}
    counted = dict(rows(national, "select portal, count(*) from articles group by portal"))
    assert counted == per_portal
    for table in ("images", "attachments", "ocop_mentions", "legal_refs"):
        total = sum(rows(archives / p / "archive.db", f"select count(*) from {table}")[0][0] for p in per_portal)
        assert rows(national, f"select count(*) from {table}")[0][0] == total, table
    places = {(p.id, p.province, p.district) for p in fleet.portals}
    assert {tuple(r) for r in rows(national, "select distinct portal, province, district from articles")} == places
    assert {tuple(r) for r in rows(national, "select distinct portal, province, district from ocop_mentions")} <= places
    assert {tuple(r) for r in rows(national, "select distinct portal, province, district from attachments")} == {
        (p.id, p.province, p.district) for p in fleet.live
    }

    with serving(national) as base:
        status, page = get(f"{base}/")
        assert status == 200
        for portal in fleet.portals:
            row = re.search(rf'<tr class="portal" data-portal="{portal.id}">(.*?)</tr>', page, re.S)[1]
            assert portal.district in row and ("rescued" if portal.gone else "live") in row
            assert f'class="articles">{per_portal[portal.id]}<' in row
            if not portal.gone:
                declared = sum(s.declared_total for s in portal.replica.portal.sections if not s.albums)
                assert f'class="declared">{declared}<' in row
        assert 'data-portal="unknown-district"' in page

        # One search across every portal: an unaccented query finds accented words in all of them.
        # Its facets by province, district, portal and year: each counts every match once.
        _, body = get(f"{base}/national/articles.json?_search=uy+ban+nhan+dan&_size=0&_facet_size=50")
        result = json.loads(body)
        matched = rows(national, "select count(*) from articles where body_text like '%Ủy ban nhân dân%'")[0][0]
        assert result["filtered_table_rows_count"] >= matched > 0
        facets = {
            name: {f["value"]: f["count"] for f in result["facet_results"][name]["results"]}
            for name in ("province", "district", "portal", "year")
        }
        assert all(sum(facet.values()) == result["filtered_table_rows_count"] for facet in facets.values())
        facet = facets["province"]
        assert len(facet) == 4 and list(facet.values()) == sorted(facet.values(), reverse=True)
        matching = "select rowid from articles_fts where articles_fts match ?"
        by_portal = rows(national, f"select portal, count(*) from articles where rowid in ({matching}) group by portal",
                         (fts_query("uy ban nhan dan"),))  # fmt: skip
        assert facets["portal"] == dict(by_portal)
        province = next(iter(facet))
        # With a filter beside the search, the facets count what both select.
        _, body = get(f"{base}/national/articles.json?_search=uy+ban+nhan+dan&province={quote(province)}&_size=0")
        narrowed = json.loads(body)
        assert narrowed["filtered_table_rows_count"] == facet[province]
        place = {name: {f["value"]: f["count"] for f in narrowed["facet_results"][name]["results"]} for name in facets}
        assert place["province"] == {province: facet[province]}
        assert sum(place["portal"].values()) == facet[province] and set(place["portal"]) < set(facets["portal"])
        _, body = get(f"{base}/national/search.json?q=uy+ban+nhan+dan&province={quote(province)}&_shape=objects")
        found = json.loads(body)["rows"]
        assert found
        assert {origin(r["url"]) for r in found} <= {p.origin for p in fleet.portals if p.province == province}
        # Words only a notice's attached decision has find that notice in every live portal, and say so.
        _, body = get(f"{base}/national/search.json?q={quote('sa nhân tím')}&_shape=objects&_size=50")
        found = json.loads(body)["rows"]
        notices = {p.replica.origin + a.path for p in fleet.live for a in p.replica.portal.articles if
                   DECISION in p.replica.portal.attachments(a)}  # fmt: skip
        assert {r["url"] for r in found} == notices and len(notices) == len(fleet.live)
        assert all(r["snippet"].startswith(f"Tệp đính kèm: {DECISION.filename} — ") for r in found)
        status, _ = get(f"{base}/-/dashboards/ocop")
        assert status == 200
        _, body = get(f"{base}/national/ocop_by_district.json?_shape=objects")
        assert {r["portal"] for r in json.loads(body)["rows"]} <= set(per_portal)

    # One portal publishes news; a crawl and a national run later, only that portal's new articles come in (the
    # rescues read again only what they had not read).
    grown = fleet.live[0]
    host, port = grown.host, urlsplit(grown.replica.origin).port
    grown.replica.stop()
    with start(replace(grown.options, new_articles=NEW), host, port) as replica:
        cli("crawl", *crawl_args(fleet, archives), "--parallel", "4", timeout=600)
        output = cli("national", "--archive-dir", str(archives), "--db", str(national)).stdout
        assert f"{grown.id}: {NEW} new or changed, {per_portal[grown.id] + NEW} articles" in output
        for portal in fleet.portals:
            if portal is not grown:
                assert f"{portal.id}: 0 new or changed" in output, portal.id
        assert rows(national, "select count(*) from articles")[0][0] == sum(per_portal.values()) + NEW
        newest = {replica.origin + a.path for a in replica.articles[:NEW]}
        assert {r[0] for r in rows(national, "select url from articles where portal = ?", (grown.id,))} >= newest


def test_auto_rescues_only_a_gone_portal_that_does_not_answer():
    silent = f"http://127.0.0.5:{free_port('127.0.0.5')}/"
    assert source_for(Portal("a", "P", "D", silent, "gone"), "auto", 2) == "wayback"
    assert source_for(Portal("a", "P", "D", silent, "live"), "auto", 2) == "live"
    with start(host="127.0.0.5") as replica:
        assert source_for(Portal("a", "P", "D", replica.origin + "/", "gone"), "auto", 2) == "live"
    assert source_for(Portal("a", "P", "D", silent, "live"), "wayback", 2) == "wayback"


def test_a_bad_registry_is_refused_with_its_line(tmp_path: Path):
    registry = tmp_path / "portals.csv"
    registry.write_text("id,province,district,start_url,status,gone_since\nBAD ID,P,D,,unknown,\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "archive.cli", "portals", "--portals", str(registry)], capture_output=True, text=True
    )
    assert result.returncode == 2 and f"{registry}:2:" in result.stderr


def test_an_attachment_fetched_after_its_article_comes_in_with_the_next_run_and_is_searched(tmp_path: Path):
    """Two portals link one province document (each keeps its own row of it); the national archive was built
    before the documents were fetched. The next run brings each in with its article, the search finds both articles
    by words only the document has, and a run after that finds nothing changed."""
    archives, db_path = tmp_path / "archives", tmp_path / "national.db"
    portals = [
        Portal("huyen-a", "Tỉnh Một", "Huyện A", "http://a.example/", "live"),
        Portal("huyen-b", "Tỉnh Hai", "Huyện B", "http://b.example/", "live"),
    ]
    document = "http://tinh.example/Uploads/Quyet-dinh-3719.pdf"
    for portal in portals:
        save_registry_row(archives, portal)
        db = open_db(archive_path(archives, portal.id))
        body = "UBND huyện vừa ban hành quyết định. Toàn văn được đăng kèm theo."
        store_article(db, Article(portal.start_url + "T/quyet-dinh", "Quyết định", "2025-03-12T09:20:00+07:00", None,
                                  body, f"<p>{body}</p>", documents=(document,)))  # fmt: skip
        db.close()
    assert [m.changed for m in national.build(archives, db_path)] == [1, 1]
    text = "Phê duyệt dự án phát triển vùng trồng sa nhân tím dưới tán rừng."
    for portal in portals:
        db = open_db(archive_path(archives, portal.id))
        article_url = portal.start_url + "T/quyet-dinh"
        store_attachment(db, FetchedAttachment(document, article_url, None, "application/pdf", b"%PDF-1.4", text,
                                               TEXT, utc_now()))  # fmt: skip
        db.close()
    assert [m.changed for m in national.build(archives, db_path)] == [1, 1]
    assert {tuple(r) for r in rows(db_path, "select portal, province, district, url, text from attachments")} == {
        (p.id, p.province, p.district, document, text) for p in portals
    }
    with serving(db_path) as base:
        _, body = get(f"{base}/national/search.json?q={quote('sa nhân tím')}&_shape=objects")
        found = json.loads(body)["rows"]
        assert sorted(r["url"] for r in found) == [p.start_url + "T/quyet-dinh" for p in portals]
        assert all(r["snippet"].startswith("Tệp đính kèm: Quyet-dinh-3719.pdf — ") for r in found)
        _, body = get(f"{base}/national/articles.json?_search=sa+nhan+tim&_facet=province&_size=0")
        facet = json.loads(body)["facet_results"]["province"]["results"]
        assert {f["value"]: f["count"] for f in facet} == {"Tỉnh Một": 1, "Tỉnh Hai": 1}
    assert [m.changed for m in national.build(archives, db_path)] == [0, 0]


def test_a_corrected_registry_row_moves_the_rows_merged_before_it(tmp_path: Path):
    """The registry spelled a district wrongly when the portal was first merged: after the correction, every row of
    the portal, and the facets that count them, say the district as the registry now does."""
    archives, db_path = tmp_path / "archives", tmp_path / "national.db"
    portal = Portal("huyen-a", "Tỉnh Một", "Huyen A", "http://a.example/", "live")
    save_registry_row(archives, portal)
    db = open_db(archive_path(archives, portal.id))
    body = "Huyện có thêm 02 sản phẩm được công nhận OCOP 4 sao."
    store_article(db, Article(portal.start_url + "T/ocop", "OCOP", "2025-03-12T09:20:00+07:00", None, body, body))
    db.close()
    national.build(archives, db_path)
    save_registry_row(archives, replace(portal, district="Huyện A"))
    assert [m.changed for m in national.build(archives, db_path)] == [0]
    for table in ("articles", "ocop_mentions", "portals"):
        assert [tuple(r) for r in rows(db_path, f"select distinct district from {table}")] == [("Huyện A",)], table
    with serving(db_path) as base:
        _, body = get(f"{base}/national/articles.json?_search=OCOP&_size=0")
        facet = json.loads(body)["facet_results"]["district"]["results"]
        assert {f["value"]: f["count"] for f in facet} == {"Huyện A": 1}
