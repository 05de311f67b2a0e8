"""One machine's `crawl --portals` tries a failed crawl again after a backoff, as the workers do (a portal that is
down costs a try one connection attempt, not a crawl's retries)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, cli, rows, servable

from archive.registry import Portal, write_registry
from replica.server import ReplicaOptions, free_port, start


def test_a_failed_crawl_is_tried_again_after_its_backoff_and_the_last_failure_kept(tmp_path: Path) -> None:
    registry, archives = tmp_path / "portals.csv", tmp_path / "archives"
    late_port, never_port = free_port("127.0.0.3"), free_port("127.0.0.4")
    late = Portal("late", "Sơn Lĩnh", "Muộn Về", f"http://127.0.0.3:{late_port}/", "live")  # down at first
    never = Portal("never", "Sơn Lĩnh", "Vắng Bóng", f"http://127.0.0.4:{never_port}/", "live")  # nothing, ever
    write_registry(registry, [late, never])
    command = [sys.executable, "-m", "archive.cli", "crawl", "--portals", str(registry), "--archive-dir",
               str(archives), "--delay", "0", "--timeout", "5", "--tries", "3", "--retry-backoff", "5"]  # fmt: skip
    crawling = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said = []
    deadline = time.monotonic() + 120
    while not any(line.startswith("late (live)") for line in said):  # its first try failed
        assert time.monotonic() < deadline and crawling.poll() is None, "".join(said)
        said.append(crawling.stdout.readline())
    with start(ReplicaOptions(n_articles=30, seed=7), "127.0.0.3", late_port) as replica:
        rest, _ = crawling.communicate(timeout=240)
    said = "".join(said) + rest
    assert crawling.returncode == 1, said  # one portal was not crawled

    assert "late (live): no crawl run (try 1 of 3 failed: nothing answers at 127.0.0.3" in said
    assert "trying again in 5 s)" in said
    archived = {row["url"] for row in rows(archives / "late" / "archive.db", "select url from articles")}
    assert archived == {replica.origin + a.path for a in servable(replica, replica.portal.articles)}
    assert said.count("never (live): ") == 3 and "(try 2 of 3 failed: " in said and "trying again in 10 s)" in said
    assert "(failed after 3 tries: nothing answers at 127.0.0.4" in said, said
    assert "1 of 2 portals crawled; 0 without a start URL" in said
    listed = cli("portals", "--portals", str(registry), "--archive-dir", str(archives)).stdout
    assert "failed after 3 tries at" in listed.split("never", 1)[1], listed
    assert "failed after" not in listed.split("never", 1)[0], listed
