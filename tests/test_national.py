"""One machine, no Redis: 20 replica portals crawled through `crawl --portals`, each into its own archive; then the
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
from conftest import cli, get, rows, servable, serving

from archive.portals import source_for
from archive.registry import Portal, read_registry
from replica.fleet import FleetOptions, start_fleet
from replica.server import free_port, start

NEW = 3  # articles one portal publishes between two runs


@pytest.fixture(scope="module")
def fleet_archives(tmp_path_factory):
    """20 portals (and a registry row without a start URL), crawled into one archive directory; yields
    (fleet, registry, archive directory, the crawl's output)."""
    tmp = tmp_path_factory.mktemp("fleet")
    registry = tmp / "portals.csv"
    with start_fleet(FleetOptions(portals=20, seed=1, min_articles=25, max_articles=45), registry) as fleet:
        lines = registry.read_text(encoding="utf-8").splitlines()
        unknown = "unknown-district,Sơn Lĩnh,Chưa Biết,,unknown,"
        registry.write_text("\n".join([*lines, unknown]) + "\n", encoding="utf-8")
        archives = tmp / "archives"
        args = ("--portals", str(registry), "--archive-dir", str(archives), "--parallel", "4", "--delay", "0.05")
        result = cli("crawl", *args, timeout=600)
        yield fleet, registry, archives, result.stdout


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_every_portal_is_archived_completely_into_its_own_archive(fleet_archives):
    fleet, _, archives, output = fleet_archives
    for portal in fleet.portals:
        db = archives / portal.id / "archive.db"
        archived = {row["url"] for row in rows(db, "select url from articles")}
        whole = servable(portal.replica, portal.replica.portal.articles)  # every section's, from the home page
        assert archived == {portal.replica.origin + article.path for article in whole}, portal.id
        assert list((archives / portal.id / "warc").glob("*.warc.gz")), portal.id
        assert read_registry(archives / portal.id / "portal.csv") == [portal.entry]  # the archive says where from
    assert "unknown-district: skipped: no start URL in the registry" in output
    assert "20 of 20 portals crawled; 1 without a start URL" in output


def test_portals_lists_the_registry_with_each_archive(fleet_archives):
    fleet, registry, archives, _ = fleet_archives
    listing = cli("portals", "--portals", str(registry), "--archive-dir", str(archives)).stdout
    for portal in fleet.portals:
        line = next(line for line in listing.splitlines() if line.startswith(portal.id + " "))
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
    for table in ("images", "ocop_mentions", "legal_refs"):
        total = sum(rows(archives / p / "archive.db", f"select count(*) from {table}")[0][0] for p in per_portal)
        assert rows(national, f"select count(*) from {table}")[0][0] == total, table
    places = {(p.id, p.province, p.district) for p in fleet.portals}
    assert {tuple(r) for r in rows(national, "select distinct portal, province, district from articles")} == places
    assert {tuple(r) for r in rows(national, "select distinct portal, province, district from ocop_mentions")} <= places

    with serving(national) as base:
        status, page = get(f"{base}/")
        assert status == 200
        for portal in fleet.portals:
            row = re.search(rf'<tr class="portal" data-portal="{portal.id}">(.*?)</tr>', page, re.S)[1]
            assert portal.district in row and "live" in row
            assert f'class="articles">{per_portal[portal.id]}<' in row
            declared = sum(s.declared_total for s in portal.replica.portal.sections if not s.albums)
            assert f'class="declared">{declared}<' in row
        assert 'data-portal="unknown-district"' in page

        # One search across every portal: an unaccented query finds accented words in all of them.
        _, body = get(f"{base}/national/articles.json?_search=uy+ban+nhan+dan&_facet=province&_size=0")
        result = json.loads(body)
        matched = rows(national, "select count(*) from articles where body_text like '%Ủy ban nhân dân%'")[0][0]
        assert result["filtered_table_rows_count"] >= matched > 0
        facet = {f["value"]: f["count"] for f in result["facet_results"]["province"]["results"]}
        assert len(facet) == 4 and sum(facet.values()) == result["filtered_table_rows_count"]
        province = next(iter(facet))
        _, body = get(f"{base}/national/search.json?q=uy+ban+nhan+dan&province={quote(province)}&_shape=objects")
        found = json.loads(body)["rows"]
        assert found and {origin(r["url"]) for r in found} <= {
            p.replica.origin for p in fleet.portals if p.province == province
        }
        status, _ = get(f"{base}/-/dashboards/ocop")
        assert status == 200
        _, body = get(f"{base}/national/ocop_by_district.json?_shape=objects")
        assert {r["portal"] for r in json.loads(body)["rows"]} <= set(per_portal)

    # One portal publishes news; a crawl and a national run later, only that portal's new articles come in.
    grown = fleet.portals[0]
    host, port = grown.host, urlsplit(grown.replica.origin).port
    grown.replica.stop()
    with start(replace(grown.options, new_articles=NEW), host, port) as replica:
        args = ("--portals", str(registry), "--archive-dir", str(archives), "--delay", "0.05")
        cli("crawl", *args, "--parallel", "4", timeout=600)
        output = cli("national", "--archive-dir", str(archives), "--db", str(national)).stdout
        assert f"{grown.id}: {NEW} new or changed, {per_portal[grown.id] + NEW} articles" in output
        for portal in fleet.portals[1:]:
            assert f"{portal.id}: 0 new or changed" in output
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
