"""Issue 15's "Done when", on an independently written fleet (`replica.independent_fleet`, whose author read none of
the crawler): seven portals (six live, each its own host, differing in size, pager and pages past the end; one gone,
served only by a Wayback replica) and two registry rows without a start URL, archived

- by `enqueue` and three `worker`s on a real redis-server, one worker killed with kill -9 in the middle of a portal;
- by the one-machine `crawl --portals`;

each portal completely into its own archive, every article once, none fetched twice, no host asked faster than the
delay (from the replicas' own request logs); and the national archive of them answers one search across them."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import ROOT, cli, get, rows, serving

from replica.independent_fleet import Fleet, LivePortal, start_fleet

DELAY = 0.2
LEASE = 3.0
IN_FLIGHT = 1.5  # seconds before a kill -9 in which a request may have been answered but not yet archived


@dataclass
class Run:
    """One archiving of a fresh fleet: how, where, and (for the workers) when and which portal the kill hit."""

    how: str
    fleet: Fleet
    archives: Path
    output: str
    killed_at: float | None = None  # monotonic
    killed_wall: float | None = None
    killed_portal: str | None = None


def key(url: str) -> str:
    """An article's identity: IIS paths are case-insensitive."""
    return url.lower()


def article_gets(portal: LivePortal) -> Counter[str]:
    """GETs of each of the portal's articles, under any PageIndex and any case, from its own log."""
    articles = {key(urlsplit(url).path) for url in portal.articles}
    paths = (key(unquote(urlsplit(r.path_with_query).path)) for r in portal.requests if r.method == "GET")
    return Counter(path for path in paths if path in articles)


def open_archive(pid: int) -> str | None:
    """The portal whose archive.db a worker's work horse (a child process) has open, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(stat.parent)
        except (OSError, IndexError, ValueError):
            continue
    for proc in children:
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.endswith("/archive.db"):
                    return Path(target).parent.name
        except OSError:
            continue
    return None


def kill_one_mid_portal(workers: list[subprocess.Popen], fleet: Fleet) -> tuple[subprocess.Popen, str]:
    """kill -9 the first worker seen inside a live portal with articles fetched and many still to fetch."""
    live = {p.spec.id: p for p in fleet.live}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for process in workers:
            portal = live.get(open_archive(process.pid) or "")
            if portal and 8 <= len(article_gets(portal)) <= len(portal.articles) - 15:
                os.kill(process.pid, signal.SIGKILL)
                return process, portal.spec.id
        time.sleep(0.1)
    raise AssertionError("no worker was seen in the middle of a live portal")


@pytest.fixture(scope="module", params=["workers", "crawl"])
def run(request, tmp_path_factory) -> Iterator[Run]:
    """A fresh fleet archived by enqueue + three workers (one killed), or by the one-machine crawl --portals."""
    tmp = tmp_path_factory.mktemp(request.param)
    archives = tmp / "archives"
    with start_fleet(tmp / "portals.csv", portals=6, gone=1) as fleet:
        if request.param == "crawl":
            args = ("--portals", str(fleet.registry), "--archive-dir", str(archives), "--parallel", "3")
            output = cli("crawl", *args, "--delay", str(DELAY), *fleet.wayback_args, timeout=900).stdout
            yield Run("crawl", fleet, archives, output)
            return
        url = request.getfixturevalue("redis_server") + "/0"
        args = ("--portals", str(fleet.registry), "--redis", url, "--delay", str(DELAY), *fleet.wayback_args)
        output = cli("enqueue", *args).stdout
        command = [sys.executable, "-m", "archive.cli", "worker", "--redis", url, "--archive-dir", str(archives)]
        command += ["--burst", "--lease-timeout", str(LEASE)]
        workers = [
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(3)
        ]
        killed, portal_id = kill_one_mid_portal(workers, fleet)
        killed_at, killed_wall = time.monotonic(), time.time()
        killed.wait(10)
        for process in workers:
            if process is not killed:
                out, _ = process.communicate(timeout=600)
                assert process.returncode == 0, out.decode()
                output += out.decode()
        yield Run("workers", fleet, archives, output, killed_at, killed_wall, portal_id)


def test_enqueue_queues_every_portal_with_a_start_url_and_skips_the_others(run):
    if run.how != "workers":
        assert "7 of 7 portals crawled; 2 without a start URL" in run.output
        return
    ids = {p.spec.id for p in [*run.fleet.live, *run.fleet.gone]} | set(run.fleet.unknown)
    said: dict[str, str] = {}  # what enqueue said first of each portal (the workers' lines come after)
    for line in run.output.splitlines():
        if line.split(": ", 1)[0] in ids:
            said.setdefault(*line.split(": ", 1))
    crawlable = [p.spec.id for p in [*run.fleet.live, *run.fleet.gone]]
    assert {portal_id: said.get(portal_id) for portal_id in crawlable} == dict.fromkeys(crawlable, "queued")
    assert all("skipped" in said.get(portal_id, "") for portal_id in run.fleet.unknown)


def test_every_live_portal_is_archived_completely_into_its_own_archive(run):
    """Every article of every section exactly once (and no other portal's), its sections, documents and albums."""
    problems = []
    for portal in run.fleet.live:
        db = run.archives / portal.spec.id / "archive.db"
        stored = Counter(key(r["url"]) for r in rows(db, "select url from articles"))
        truth = {key(url) for url in portal.articles}
        missing, foreign = sorted(truth - set(stored)), sorted(set(stored) - truth)
        twice = sorted(u for u, n in stored.items() if n > 1)
        if missing or foreign or twice:
            problems.append(
                f"{portal.spec.id} (pager {portal.spec.pager}, past the end {portal.spec.beyond}): "
                f"{len(stored)} of {len(truth)} articles; missing e.g. {missing[:3]}, foreign {foreign[:3]}, "
                f"twice {twice[:3]}; the portal was asked {len(portal.requests)} times, first for "
                f"{[r.path_with_query for r in portal.requests[:12]]}"
            )
            continue
        shown = rows(
            db,
            "select a.url, s.title from article_sections j join articles a on a.id = j.article_id"
            " join sections s on s.id = j.section_id",
        )
        for title, urls in portal.sections.items():
            if not {key(u) for u in urls} <= {key(r["url"]) for r in shown if r["title"] == title}:
                problems.append(f"{portal.spec.id}: section {title} does not show all its articles")
        if {r["url"]: r["sha256"] for r in rows(db, "select url, sha256 from attachments")} != portal.documents:
            problems.append(f"{portal.spec.id}: the documents differ")
        if {key(r["url"]) for r in rows(db, "select url from albums")} != {key(u) for u in portal.albums}:
            problems.append(f"{portal.spec.id}: the albums differ")
    for portal_id in run.fleet.unknown:
        if (run.archives / portal_id / "archive.db").exists():
            problems.append(f"{portal_id}: crawled without a start URL")
    assert not problems, "\n".join(problems)


def test_the_gone_portal_is_rescued_from_the_web_archive(run):
    for portal in run.fleet.gone:
        db = run.archives / portal.spec.id / "archive.db"
        stored = rows(db, "select url, source from articles")
        assert Counter(r["url"] for r in stored) == Counter(portal.articles), portal.spec.id
        assert {r["source"] for r in stored} == {"wayback"}
        named = {r["url"] for r in rows(db, "select url from crawl_errors where reasons is not null")}
        assert set(portal.lost) <= named, portal.spec.id


def test_every_run_finished_and_only_the_killed_workers_portal_was_resumed(run):
    cut = []
    for portal_id in [p.spec.id for p in [*run.fleet.live, *run.fleet.gone]]:
        runs = rows(run.archives / portal_id / "archive.db", "select finished_at, finish_reason from crawl_runs")
        assert [r["finish_reason"] for r in runs if r["finished_at"]] == ["finished"], portal_id
        if len(runs) > 1:
            cut.append(portal_id)
    assert cut == ([run.killed_portal] if run.how == "workers" else [])


def test_no_article_is_fetched_twice(run):
    """Counted from each portal's own log; after the kill, only one or two in flight may be asked again."""
    for portal in run.fleet.live:
        in_flight = set()
        if run.killed_at is not None:
            in_flight = {
                key(unquote(urlsplit(r.path_with_query).path))
                for r in portal.requests
                if run.killed_at - IN_FLIGHT < r.at <= run.killed_at
            }
        twice = {path: n for path, n in article_gets(portal).items() if n > 1}
        assert set(twice) <= in_flight and len(twice) <= 2, (portal.spec.id, twice)
    replays = Counter(r.path for r in run.fleet.wayback_requests if r.kind == "replay" and r.status != 429)
    assert {path: n for path, n in replays.items() if n > 1} == {}  # the kill hit a live portal


def smallest_gap(times: list[float]) -> tuple[float, int]:
    """The smallest gap between two of the times, and where (in sorted order) it is."""
    times = sorted(times)
    return min((b - a, i) for i, (a, b) in enumerate(itertools.pairwise(times)))


def test_no_host_is_asked_faster_than_the_delay(run):
    """Workers space each host's requests by the delay across all of them (README: a claim in Redis, and the delay
    counted again from each answer, so the host's own stamps are a delay apart at least); one machine keeps
    Scrapy's own delay, without jitter, between the requests it sends: within 10 % (a replica's thread stamps a
    request when it gets to it, on a busy machine late)."""
    floor = DELAY if run.how == "workers" else DELAY * 0.9
    too_close = []
    for portal in run.fleet.live:
        log = sorted(portal.requests, key=lambda r: r.at)
        gap, i = smallest_gap([r.at for r in log])
        if gap < floor:
            too_close.append(f"{portal.spec.id}: {gap:.3f} s between {log[i].path_with_query} and "
                             f"{log[i + 1].path_with_query}")  # fmt: skip
    log = sorted(run.fleet.wayback_requests, key=lambda r: r.at)
    hosts = {"wayback": log}
    if run.how == "crawl":
        hosts = {kind: [r for r in log if r.kind == kind] for kind in ("cdx", "replay")}
    for name, part in hosts.items():  # one machine: one request at a time to each of its endpoints (README, Rescue)
        if len(part) > 1:
            gap, i = smallest_gap([r.at for r in part])
            if gap < floor:
                too_close.append(f"{name}: {gap:.3f} s between {part[i].path} and {part[i + 1].path}")
    assert not too_close, f"floor {floor:.3f} s:\n" + "\n".join(too_close)


def test_the_national_archive_answers_one_search_across_the_portals(run, tmp_path):
    """`national` merges every archive; served, one unaccented search finds the words in every article of every
    portal (plain, NFD, with Ð), with facets by portal and province, and the ranked search filters by province."""
    fleet, national = run.fleet, tmp_path / "national.db"
    cli("national", "--archive-dir", str(run.archives), "--db", str(national), "--portals", str(fleet.registry))
    portals = [*fleet.live, *fleet.gone]
    counts = {p.spec.id: rows(run.archives / p.spec.id / "archive.db", "select count(*) from articles")[0][0]
              for p in portals}  # fmt: skip
    counts = {portal_id: n for portal_id, n in counts.items() if n}
    assert dict(rows(national, "select portal, count(*) from articles group by portal")) == counts
    places = {(p.spec.id, p.spec.province, p.spec.district) for p in portals if p.spec.id in counts}
    assert {tuple(r) for r in rows(national, "select distinct portal, province, district from articles")} == places
    by_province = Counter()
    for p in portals:
        by_province[p.spec.province] += counts.get(p.spec.id, 0)
    with serving(national) as base:
        status, page = get(f"{base}/")
        assert status == 200
        for portal_id in [p.spec.id for p in portals] + fleet.unknown:
            assert portal_id in page, portal_id  # the front page shows the registry
        # Every article of the replicas opens "Ngày D/M, huyện Điện Biên tổ chức …".
        _, body = get(f"{base}/national/articles.json?_search=huyen+dien+bien&_facet=portal&_facet=province&_size=0")
        result = json.loads(body)
        assert result["filtered_table_rows_count"] == sum(counts.values())
        facets = {
            name: {f["value"]: f["count"] for f in result["facet_results"][name]["results"]}
            for name in ("portal", "province")
        }
        assert facets == {"portal": counts, "province": {k: n for k, n in by_province.items() if n}}
        for province, n in by_province.items():
            _, body = get(f"{base}/national/search.json?q=huyen+dien+bien&province={quote(province)}&_shape=objects")
            found = json.loads(body)["rows"]
            hosts = {urlsplit(u).hostname for p in portals if p.spec.province == province for u in p.articles}
            assert bool(found) == bool(n) and {urlsplit(r["url"]).hostname for r in found} <= hosts, province
        # An article's own title finds that article, on its own portal, first.
        for portal in fleet.live:
            if portal.spec.id in counts:
                article = portal.portal.all_articles[0]
                _, body = get(f"{base}/national/search.json?q={quote(article.title)}&_shape=objects")
                found = json.loads(body)["rows"]
                assert found and key(found[0]["url"]) == key(portal.base + article.path), portal.spec.id
