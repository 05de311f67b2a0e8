"""Many machines, on one: a real redis-server, `portal-archive enqueue` and `worker`s as processes, one of them
killed with kill -9 mid-run, replica portals over HTTP whose own logs say what was fetched and when."""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from conftest import ROOT, assert_rescued_as, cli, rows, servable
from rq.job import JobStatus

from archive import jobs
from archive.registry import Portal, read_registry, write_registry
from replica.fleet import FleetOptions, start_fleet
from replica.server import ReplicaOptions, free_port, start

DELAY = 0.2
LEASE = 3.0


def worker(url: str, archive_dir: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "archive.cli", "worker", "--redis", url, "--archive-dir", str(archive_dir)]
    return subprocess.Popen(
        [*command, "--lease-timeout", str(LEASE), *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen]]:
    """Starts workers (as `worker`); any still running when the test ends (it failed) is killed, so that none
    outlives the test's redis-server."""
    started: list[subprocess.Popen] = []

    def start_worker(url: str, archive_dir: Path, *args: str) -> subprocess.Popen:
        started.append(worker(url, archive_dir, *args))
        return started[-1]

    yield start_worker
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def enqueue(url: str, registry: Path, *args: str) -> dict[str, str]:
    """`portal-archive enqueue` on the registry; what it said of each portal."""
    result = cli("enqueue", "--portals", str(registry), "--redis", url, "--delay", str(DELAY), *args)
    return dict(line.split(": ", 1) for line in result.stdout.splitlines())


def article_gets(log: list[tuple[str, str]]) -> Counter[str]:
    return Counter(path for method, path in log if method == "GET" and path.startswith("/T/"))


def test_three_workers_one_killed_archive_every_portal_once_and_politely(redis_server, tmp_path, spawn):
    url = f"{redis_server}/0"
    registry = tmp_path / "portals.csv"
    archives = tmp_path / "archives"
    options = FleetOptions(portals=7, seed=5, gone=1, min_articles=25, max_articles=40)
    with start_fleet(options, registry) as fleet, start(ReplicaOptions(n_articles=30, seed=99), "127.0.0.2") as twin:
        # An eighth portal on the first one's host (another port): Scrapy alone would not space the two.
        twin_portal = Portal("twin", "Sơn Lĩnh", "Song Sinh", twin.origin + "/", "live")
        write_registry(registry, [*read_registry(registry), twin_portal])
        # The gone portal is rescued from the fleet's web archive.
        wayback = ("--source", "auto", "--cdx-url", fleet.wayback.cdx_url, "--replay-url", fleet.wayback.replay_url)
        first = enqueue(url, registry, *wayback)
        assert set(first.values()) == {"queued"} and len(first) == 8
        assert set(enqueue(url, registry, *wayback).values()) == {"already queued"}

        workers = [spawn(url, archives, "--burst") for _ in range(3)]
        time.sleep(7)  # every worker is inside its first portal (each takes ~10 s at 0.2 s a request)
        os.kill(workers[0].pid, signal.SIGKILL)
        killed_at = time.monotonic()
        for process in workers[1:]:
            output, _ = process.communicate(timeout=240)
            assert process.returncode == 0, output.decode()
        again = enqueue(url, registry, *wayback)
        assert set(again.values()) == {"queued again (incremental re-crawl)"}  # all had finished

        (gone,) = fleet.gone
        db = archives / gone.id / "archive.db"
        archived = {row["url"]: row for row in rows(db, "select * from articles")}
        truth = fleet.wayback.truth_of(gone.origin)
        assert set(archived) == {f"{gone.origin}/T/{t.slug}" for t in truth.rescuable}
        for rescued in truth.rescuable:
            assert_rescued_as(archived[f"{gone.origin}/T/{rescued.slug}"], rescued.newest)
        assert fleet.wayback.violations == 0
        runs = rows(db, "select finished_at, finish_reason from crawl_runs")
        assert [run["finish_reason"] for run in runs if run["finished_at"]] == ["finished"]
        killed = [gone.id] if len(runs) > 1 else []

        replicas = {portal.id: portal.replica for portal in fleet.live} | {"twin": twin}
        for portal_id, replica in replicas.items():
            db = archives / portal_id / "archive.db"
            archived = {row["url"] for row in rows(db, "select url from articles")}
            whole = servable(replica, replica.portal.articles)  # every section's, from the home page
            assert archived == {replica.origin + article.path for article in whole}, portal_id
            runs = rows(db, "select finished_at, finish_reason from crawl_runs")
            assert [run["finish_reason"] for run in runs if run["finished_at"]] == ["finished"], portal_id
            if len(runs) > 1:
                killed.append(portal_id)
            # No article fetched twice, but the flaky one (500 first) and those in flight when the worker was killed.
            flaky = {a.path for a in replica.articles if "flaky-500" in a.quirks}
            twice = {path for path, n in article_gets(replica.request_log).items() if n > 1} - flaky
            log = zip(replica.request_log, replica.request_times, strict=True)
            in_flight = {path for (_, path), at in log if killed_at - 1 < at < killed_at}
            assert twice <= in_flight and len(twice) <= 2, (portal_id, twice)
        assert len(killed) == 1  # the killed worker's portal, resumed by another worker

        # No host ever got two requests closer than the delay, all workers together, as the replicas' own clocks saw
        # them: the next request to a host goes a delay after the answer to the last one at the soonest, and a
        # replica stamps a request before it answers it, so not even a late stamp makes a gap look shorter.
        by_host: dict[str, list[float]] = {}
        for replica in replicas.values():
            by_host.setdefault(re.sub(r":\d+$", "", replica.origin), []).extend(replica.request_times)
        by_host["the web archive"] = [request.time for request in fleet.wayback.requests]
        assert len(by_host["http://127.0.0.2"]) > 80  # the two portals on one host
        for host, times in by_host.items():
            times.sort()
            assert min(b - a for a, b in itertools.pairwise(times)) >= DELAY, host


def test_a_worker_on_an_empty_queue_waits_for_jobs_and_a_burst_one_exits(redis_server, tmp_path, spawn):
    url = f"{redis_server}/1"
    archives = tmp_path / "archives"
    burst = spawn(url, archives, "--burst")
    assert burst.wait(timeout=60) == 0  # nothing queued, nothing running
    waiting = spawn(url, archives)  # killed when the test ends
    time.sleep(2)
    assert waiting.poll() is None
    one = FleetOptions(portals=1, seed=8, min_articles=25, max_articles=25)
    with start_fleet(one, tmp_path / "p.csv") as fleet:
        assert enqueue(url, fleet.registry) == {"replica-01": "queued"}
        db = archives / "replica-01" / "archive.db"
        deadline = time.monotonic() + 120
        while not (db.exists() and rows(db, "select 1 from crawl_runs where finished_at is not null")):
            assert time.monotonic() < deadline and waiting.poll() is None
            time.sleep(0.5)
        replica = fleet.portals[0].replica
        assert len(rows(db, "select url from articles")) == len(servable(replica, replica.portal.articles))


def test_a_failed_crawl_is_tried_again_with_backoff_and_after_the_last_try_recorded_as_failed(
    redis_server, tmp_path, spawn
):
    url = f"{redis_server}/2"
    registry = tmp_path / "portals.csv"
    archives = tmp_path / "archives"
    late_port, never_port = free_port("127.0.0.3"), free_port("127.0.0.4")
    late = Portal("late", "Sơn Lĩnh", "Muộn Về", f"http://127.0.0.3:{late_port}/", "live")  # down at first
    never = Portal("never", "Sơn Lĩnh", "Vắng Bóng", f"http://127.0.0.4:{never_port}/", "live")  # nothing, ever
    one = FleetOptions(portals=1, seed=8, min_articles=25, max_articles=25)
    with start_fleet(one, registry) as fleet:
        write_registry(registry, [*read_registry(registry), late, never])
        assert set(enqueue(url, registry, "--tries", "3", "--retry-backoff", "2").values()) == {"queued"}
        workers = [spawn(url, archives, "--burst") for _ in range(2)]
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 120
        while jobs.current_job(client, "late").get_status() != JobStatus.SCHEDULED:  # its first try failed
            assert time.monotonic() < deadline, "the down portal's first try did not fail"
            time.sleep(0.1)
        assert enqueue(url, registry)["late"] == "already queued"  # owed while it waits for its next try
        with start(ReplicaOptions(n_articles=30, seed=7), "127.0.0.3", late_port) as late_replica:
            outputs = []
            for process in workers:
                output, _ = process.communicate(timeout=240)
                assert process.returncode == 0, output.decode()
                outputs.append(output.decode())
        said = "".join(outputs)

        # The portal that came up later, and the one that was up all along, are archived completely.
        for portal_id, replica in (("late", late_replica), ("replica-01", fleet.portals[0].replica)):
            db = archives / portal_id / "archive.db"
            archived = {row["url"] for row in rows(db, "select url from articles")}
            assert archived == {replica.origin + a.path for a in servable(replica, replica.portal.articles)}
        assert "late: try 1 of 3 failed: nothing answers at 127.0.0.3" in said
        assert "late: crawl finished" in said

        # The one that never answered: three tries, the last recorded as failed, shown by the worker and `portals`.
        assert said.count("never: try ") == 2 and "never: try 2 of 3 failed" in said, said
        assert "never: failed after 3 tries: nothing answers at 127.0.0.4" in said, said
        listed = cli("portals", "--portals", str(registry), "--archive-dir", str(archives)).stdout
        assert "failed after 3 tries at" in listed.split("never", 1)[1], listed
        assert "failed after" not in listed.split("never", 1)[0], listed

        # Nothing is owed now; enqueue queues every portal again, the failed one as such.
        again = enqueue(url, registry)
        assert again["never"] == "queued again (its last crawl failed)", again
        assert again["late"] == again["replica-01"] == "queued again (incremental re-crawl)", again
