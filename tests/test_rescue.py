"""Rescue from the Wayback Machine replica (replica.wayback) over real HTTP, by real `portal-archive crawl --source
wayback` processes, at rate limits small enough to be hit: checked against the replica's ground truth."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, assert_rescued_as, cli, rows

from replica.model import SITE
from replica.wayback import ArticleTruth, WaybackOptions, WaybackReplica
from scraper.cdx import timestamp_to_iso

# The CDX server allows 40 requests a minute, replay 1,500 (bursts of 3 and 20): both answer 429 during a rescue.
LIMITS = WaybackOptions(cdx_per_minute=40, replay_per_minute=1500, cdx_burst=3, replay_burst=20)
CDX_LIMIT = 150  # rows a CDX answer holds, so that the answers are paged by resume key
AS_OF = "20240101000000"


@dataclass(frozen=True)
class Rescue:
    replica: WaybackReplica
    db: Path
    requests: list  # the replica's log of this rescue's requests

    def args(self, db: Path, *more: str) -> list[str]:
        return rescue_args(self.replica, db, *more)


def rescue_args(replica: WaybackReplica, db: Path, *more: str, start: str = f"{SITE}/Tintuc/?PageIndex=1") -> list[str]:
    """A rescue of `replica` from `start` (the news list unless told) into `db`."""
    return [
        "crawl", "--source", "wayback", "--start-url", start, "--db", str(db), "--cdx-url", replica.cdx_url,
        "--replay-url", replica.replay_url, "--delay", "0", "--cdx-limit", str(CDX_LIMIT), *more,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def replica() -> Iterator[WaybackReplica]:
    wayback = WaybackReplica(LIMITS)
    with wayback.serve():
        yield wayback


@pytest.fixture(scope="module")
def rescue(replica: WaybackReplica, tmp_path_factory: pytest.TempPathFactory) -> Rescue:
    db = tmp_path_factory.mktemp("rescue") / "archive.db"
    before = len(replica.requests)
    cli(*rescue_args(replica, db))
    return Rescue(replica, db, replica.requests[before:])


def stored(db: Path) -> dict[str, dict]:
    return {row["url"]: dict(row) for row in rows(db, "select * from articles")}


def url_of(truth: ArticleTruth) -> str:
    return f"{SITE}/T/{truth.slug}"


def known(replica: WaybackReplica) -> list[ArticleTruth]:
    """Lost articles a rescue can know of: captured (badly), or linked from a good list capture."""
    return [t for t in replica.truth.articles.values() if t.lost and (t.captures or t.listed_at)]


def test_every_article_with_a_good_capture_is_archived_once_from_its_newest_good_capture(rescue):
    archived = stored(rescue.db)
    rescuable = rescue.replica.truth.rescuable
    assert len(archived) == len(rescuable)  # one row each: no variant twice, no notice, error or redirect page
    for truth in rescuable:
        assert_rescued_as(archived[url_of(truth)], truth.newest)
        assert archived[url_of(truth)]["source"] == "wayback"
    newest_bad = [t for t in rescuable if t.captures[-1].defect]
    assert len(newest_bad) > len(rescuable) / 3  # the newest capture was not the article for many of them


def test_variants_fold_into_one_row_in_the_spelling_of_the_portal_s_links(rescue):
    by_article: Counter[str] = Counter()
    for truth in rescue.replica.truth.rescuable:
        by_article[truth.slug] = len({seen.url for seen in truth.captures})
    assert max(by_article.values()) >= 3  # http://, https://www., ?PageIndex=, lower case
    assert set(stored(rescue.db)) == {url_of(t) for t in rescue.replica.truth.rescuable}


def test_lost_articles_are_named_with_their_list_title_and_reasons(rescue):
    errors = {row["url"]: dict(row) for row in rows(rescue.db, "select * from crawl_errors where kind = 'article'")}
    lost = known(rescue.replica)
    assert len(lost) >= 10 and set(errors) == {url_of(t) for t in lost}
    for truth in lost:
        error = errors[url_of(truth)]
        if truth.listed_at:
            assert error["title"] == truth.title
        if truth.lost == "never-captured":
            assert error["reasons"] == "never-captured"
        else:
            assert "never-captured" not in error["reasons"] and error["reasons"]
    status = cli("status", "--db", str(rescue.db)).stdout
    assert f"rescued from the web archive: {len(rescue.replica.truth.rescuable)} articles" in status
    assert f"known but lost: {len(lost)} (by reason: never-captured" in status


def test_requests_stay_within_bounds_and_none_falls_inside_a_retry_after_window(rescue):
    log = rescue.requests
    answered = Counter(r.kind for r in log if r.status != 429)
    rows_held = sum(1 for c in rescue.replica.captures if c.urlkey.startswith("vn,gov,huyendienbien)/t"))
    # Two prefix queries, paged CDX_LIMIT rows at a time (the list pages' rows are collapsed by digest).
    assert answered["cdx"] <= 2 + rows_held // CDX_LIMIT + 1
    articles = rescue.replica.truth.articles
    images = sum(len(t.newest.article.images) for t in articles.values() if t.newest)
    # Replay: each article's copies until a good one (at most one per content), the list pages, each image at most
    # twice (the archive's redirect to its nearest capture, then the capture).
    copies = sum(
        len({s.content_timestamp for s in t.captures if s.statuscode in ("200", "-")}) for t in articles.values()
    )
    assert answered["replay"] <= copies + len(rescue.replica.truth.dates[-3].slugs) + 2 * images
    assert answered["replay"] < 3.5 * len(rescue.replica.truth.rescuable)
    assert Counter(r.status for r in log)[429] > 0  # the limits were hit ...
    assert rescue.replica.violations == 0  # ... and honoured
    figures = cli("status", "--db", str(rescue.db)).stdout
    assert (
        f"requests to the web archive: {answered['cdx'] + Counter(r.kind for r in log if r.status == 429)['cdx']} CDX"
        in figures
    )


def test_a_second_rescue_replays_nothing(rescue, tmp_path):
    before = len(rescue.replica.requests)
    cli(*rescue.args(rescue.db))
    again = Counter(r.kind for r in rescue.replica.requests[before:] if r.status != 429)
    assert again["replay"] == 0 and again["cdx"] <= 2 + 6


def killed_then_resumed(replica: WaybackReplica, args: list[str], replays: int) -> list[set[str]]:
    """A rescue (`args`) killed with kill -9 once `replays` replays were asked for, then run again to its end: the
    paths each run had replayed."""
    before = len(replica.requests)
    process = subprocess.Popen([sys.executable, "-m", "archive.cli", *args], cwd=ROOT)
    deadline = time.monotonic() + 120
    while sum(r.kind == "replay" for r in replica.requests[before:]) < replays and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    first = replica.requests[before:]
    middle = len(replica.requests)
    cli(*args)
    second = replica.requests[middle:]
    return [{r.path for r in run if r.kind == "replay" and r.status not in (0, 429)} for run in (first, second)]


def test_a_rescue_killed_mid_way_completes_on_a_re_run_without_fetching_twice(replica, tmp_path):
    db = tmp_path / "killed.db"
    fetched = killed_then_resumed(replica, rescue_args(replica, db), 120)
    assert len(fetched[0]) >= 100 and fetched[1]
    assert len(fetched[0] & fetched[1]) <= 2  # at most the answer in flight when killed (and its redirect)
    assert len(stored(db)) == len(replica.truth.rescuable)
    assert replica.violations == 0


def test_as_of_takes_the_newest_good_capture_at_or_before_the_date_else_the_earliest_after(replica, tmp_path):
    db = tmp_path / "as-of.db"
    cli(*rescue_args(replica, db, "--as-of", AS_OF))
    archived = stored(db)
    assert len(archived) == len(replica.truth.rescuable)
    earlier_over_later = after = 0
    for truth in replica.truth.rescuable:
        seen, later = truth.as_of(AS_OF)
        row = archived[url_of(truth)]
        assert_rescued_as(row, seen)
        assert row["after_as_of"] == (timestamp_to_iso(AS_OF) if later else None)
        assert row["last_seen_at"] == timestamp_to_iso(truth.last_seen(seen))  # the content's newest sighting
        after += later
        earlier_over_later += not later and truth.newest.timestamp > AS_OF
    assert earlier_over_later >= 10 and after >= 3
    assert sum(row["last_seen_at"] > row["captured_at"] for row in archived.values()) >= 5  # seen good after the date
