"""Re-runs that cost almost nothing, a kill -9 mid-crawl, a flaky server: real processes, real HTTP."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

import sqlite_utils
from conftest import ROOT, assert_archived_as_expected, cli, crawl, rows, servable

from archive import fts
from replica.server import ReplicaOptions, free_port, start


def fetched(replica, since: int) -> list[str]:
    """The pages requested from `since` on, robots.txt and the articles' images (see test_warc) left out."""
    return [
        path for _, path in replica.request_log[since:] if path != "/robots.txt" and not path.startswith("/Uploads/")
    ]


def test_incremental_recrawl_costs_only_what_is_new(tmp_path):
    db, port = tmp_path / "a.db", free_port()
    with start(ReplicaOptions(n_articles=100), port=port) as replica:
        crawl(replica, db)
    with start(ReplicaOptions(n_articles=100, new_articles=5), port=port) as replica:
        crawl(replica, db)
        requests = fetched(replica, 0)
        new = {article.path for article in replica.articles[:5]}
        assert sorted(r for r in requests if r.startswith("/T/")) == sorted(new)
        assert sorted(r for r in requests if not r.startswith("/T/")) == [
            "/Tintuc/?PageIndex=1",
            "/Tintuc/?PageIndex=2",
        ]
        assert_archived_as_expected(replica, db)
        before = len(replica.request_log)
        crawl(replica, db)
        assert fetched(replica, before) == ["/Tintuc/?PageIndex=1"]


def test_kill_9_mid_crawl_then_resume_completes_without_refetching(tmp_path):
    db = tmp_path / "k.db"
    with start(ReplicaOptions(n_articles=400)) as replica:
        process = subprocess.Popen(
            [sys.executable, "-m", "archive.cli", "crawl", "--start-url", replica.url, "--db", str(db), "--delay", "0"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        threshold = random.Random().randint(20, 300)  # a random moment, as a power cut would pick
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists() and _count(db) >= threshold:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the crawl ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        archived_before = {row["url"] for row in rows(db, "select url from articles")}
        assert rows(db, "pragma integrity_check")[0][0] == "ok"
        assert 0 < len(archived_before) < len(servable(replica))

        before = len(replica.request_log)
        crawl(replica, db)
        refetched = {urlsplit(replica.origin + path).path for path in fetched(replica, before)}
        assert not {urlsplit(url).path for url in archived_before} & refetched
        assert_archived_as_expected(replica, db)
        assert rows(db, "pragma integrity_check")[0][0] == "ok"
        assert rows(db, "select count(*) = count(distinct url) from articles")[0][0] == 1
        assert fts.indexed_count(sqlite_utils.Database(db)) == len(servable(replica))
        killed, resumed = rows(db, "select finished_at, finish_reason from crawl_runs order by id")
        assert killed["finished_at"] is None and resumed["finish_reason"] == "finished"


def _count(db) -> int:
    try:
        return rows(db, "select count(*) from articles")[0][0]
    except Exception:  # the schema may not exist yet
        return 0


def test_chaos_at_20_percent_loses_nothing(tmp_path):
    db = tmp_path / "c.db"
    options = ReplicaOptions(n_articles=150, chaos=0.2, chaos_seed=11, stall_seconds=2.5)
    with start(options) as replica:
        for _ in range(2):  # whatever still failed after every retry is tried again by the next run
            crawl(replica, db, "--timeout", "1.5")
            if _count(db) == len(servable(replica)):
                break
        assert set(replica.chaos.injected) >= {"500", "429", "reset", "stall", "truncate", "cut-html"}
        assert_archived_as_expected(replica, db)
        assert rows(db, "pragma integrity_check")[0][0] == "ok"
        open_errors = {row["url"] for row in rows(db, "select url from crawl_errors where resolved_at is null")}
        assert len(open_errors) == 2  # the dead link and the robots-forbidden page, nothing chaos caused


def test_status_reports_completeness_against_the_declared_total(crawled, tmp_path):
    replica, db, _ = crawled
    copy = tmp_path / "s.db"
    shutil.copy(db, copy)
    out = cli("status", "--db", str(copy)).stdout
    assert f"articles archived: {len(servable(replica)):,} of {len(replica.articles):,} declared" in out
    assert "(2 gone, 0 missing)" in out
    assert "list pages never read: 0" in out
    assert "open errors: 2" in out
    first = min(a.expected.published for a in servable(replica))
    assert f"published: {first} to " in out


def test_max_runtime_stops_cleanly_and_the_next_run_completes(tmp_path):
    db = tmp_path / "m.db"
    with start(ReplicaOptions(n_articles=200)) as replica:
        out = crawl(replica, db, "--delay", "0.05", "--max-runtime", "3")
        assert "crawl closespider_timeout" in out.stdout
        assert 0 < _count(db) < len(servable(replica))
        crawl(replica, db)
        assert_archived_as_expected(replica, db)
        reasons = [row["finish_reason"] for row in rows(db, "select finish_reason from crawl_runs order by id")]
        assert reasons == ["closespider_timeout", "finished"]
