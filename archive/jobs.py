"""Many machines: one RQ job per portal on a Redis queue, taken by `portal-archive worker`s anywhere.

RQ carries the jobs (the queue, the crawl's options pickled with them, a work horse forked for each job, so each
crawl has a process of its own). On top of it, per portal, in Redis (see README, "Many machines"):

- `job:<id>`: the portal's current RQ job; `done:<id>`: the job of it that last ended. A portal is *owed* while
  they differ: `enqueue` then does nothing, otherwise it queues a new job (an incremental re-crawl after the first);
- `lease:<id>`: the job's lease, taken by the work horse with SET NX (one worker per portal at a time) only if its
  job is still the portal's current one, and renewed every third of the lease timeout. A worker that finds its lease
  lost stops at once; RQ's own detection of a dead work horse waits a minute past its heartbeat, so the lease is ours;
- a started job whose lease is gone for the lease timeout (its worker was killed, or its machine died) is queued
  again by any worker (`reap`): the new crawl resumes from the portal's archive, which skips what is archived;
- a try that fails (nothing answers at the portal, its start page cannot be read, or the job raises) is tried
  again by RQ's `Retry` after a backoff, the portal still owed; after the last try the job ends failed, the failure
  is kept beside the portal's archive (`archive.portal_archives.record_failure`), and `enqueue` queues the portal again.

Requests are spaced per host across all workers through the same Redis (`scraper.hostdelay`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import redis
from rq import Queue, Retry, Worker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.scheduler import RQScheduler

from archive.crawl import crawl_settings, preload, summary
from archive.portal_archives import archive_path, clear_failure, failed_try, record_failure, save_registry_row
from archive.portal_crawl import (
    DEFAULT_BACKOFF,
    DEFAULT_TRIES,
    CrawlOptions,
    backoffs,
    crawl_failure,
    crawl_portal,
    unreachable,
)
from archive.registry import Portal

QUEUE = "portal-archive"
PREFIX = "portal-archive"
PORTALS = f"{PREFIX}:portals"  # every portal ever enqueued
LOCK = f"{PREFIX}:lock"  # held while enqueuing or re-queuing, so that two never queue one portal twice
WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)
DEFAULT_LEASE = 300.0
POLL = 1  # seconds an idle worker waits for a job before it looks again for dead workers' jobs and due retries
KEEP_JOBS = 30 * 24 * 3600  # seconds RQ keeps a finished or failed job (its result, its options)

# KEYS: the portal's current job, its lease; ARGV: this job's id, the lease in ms. 1 when the lease is taken.
TAKE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
# KEYS: the lease; ARGV: this job's id, the lease in ms. 0 when the lease is no longer this job's.
RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""
# KEYS: the portal's last ended job, the lease; ARGV: this job's id, 1 if it ended (0: it will be tried again).
END = """
if ARGV[2] == '1' then redis.call('SET', KEYS[1], ARGV[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
"""


def key(kind: str, portal_id: str) -> str:
    """The Redis key of one portal's `job`, `done` or `lease`."""
    return f"{PREFIX}:{kind}:{portal_id}"


def connect(url: str) -> redis.Redis:
    """A client of the Redis server at `url`."""
    return redis.Redis.from_url(url)


def current_job(client: redis.Redis, portal_id: str) -> Job | None:
    """The portal's current RQ job, if any (and still kept)."""
    job_id = client.get(key("job", portal_id))
    if job_id is None:
        return None
    try:
        return Job.fetch(job_id.decode(), connection=client)
    except NoSuchJobError:
        return None


def owed(client: redis.Redis, portal_id: str) -> Job | None:
    """The portal's current job if it is queued or running (not yet ended), else None."""
    job = current_job(client, portal_id)
    done = client.get(key("done", portal_id))
    return job if job is not None and (done is None or done.decode() != job.id) else None


def _queue(client: redis.Redis, portal: Portal, options: CrawlOptions, tries: int, backoff: int) -> Job:
    """Queue a new job for `portal` (`tries` at most, `backoffs` apart) and make it the portal's current one."""
    job_id = f"{portal.id}-{uuid.uuid4().hex[:12]}"
    client.sadd(PORTALS, portal.id)
    client.set(key("job", portal.id), job_id)
    return Queue(QUEUE, connection=client).enqueue(
        crawl_job,
        portal,
        options,
        job_id=job_id,
        meta={"tries": tries, "backoff": backoff},
        retry=Retry(max=tries - 1, interval=backoffs(tries, backoff)) if tries > 1 else None,
        job_timeout=-1,  # a crawl takes as long as politeness makes it; a dead one is found by its lease
        result_ttl=KEEP_JOBS,
        failure_ttl=KEEP_JOBS,
        description=f"crawl {portal.id}",
    )


def enqueue(
    client: redis.Redis,
    portals: list[Portal],
    options: CrawlOptions,
    tries: int = DEFAULT_TRIES,
    backoff: int = DEFAULT_BACKOFF,
) -> list[tuple[Portal, str]]:
    """Put one job per portal on the queue, each crawl tried `tries` times at most (see `backoffs`); what became of
    each (`queued`, `queued again`, `already queued`, `already running`, or `skipped`: no start URL)."""
    outcomes = []
    with client.lock(LOCK, timeout=60):
        for portal in portals:
            if not portal.start_url:
                outcomes.append((portal, "skipped: no start URL in the registry"))
                continue
            job = owed(client, portal.id)
            if job is not None:
                outcomes.append((portal, "already queued" if job.get_status() in WAITING else "already running"))
                continue
            last = current_job(client, portal.id) if client.get(key("done", portal.id)) else None
            _queue(client, portal, options, tries, backoff)
            if last is None:
                outcomes.append((portal, "queued"))
            elif last.get_status() == JobStatus.FAILED:
                outcomes.append((portal, "queued again (its last crawl failed)"))
            else:
                outcomes.append((portal, "queued again (incremental re-crawl)"))
    return outcomes


def abandoned(client: redis.Redis, portal_id: str, lease_timeout: float) -> Job | None:
    """The portal's job if it started, is not over, and no lease has been held for it for `lease_timeout`."""
    job = owed(client, portal_id)
    if job is None or job.get_status() in WAITING or client.exists(key("lease", portal_id)):
        return None
    started = job.started_at
    if started is None:
        return None
    age = datetime.now(UTC) - (started if started.tzinfo else started.replace(tzinfo=UTC))
    return job if age.total_seconds() >= lease_timeout else None


def reap(client: redis.Redis, lease_timeout: float) -> list[str]:
    """Queue again every portal whose job was abandoned (see `abandoned`); their ids."""
    again = []
    with client.lock(LOCK, timeout=60):
        for raw in sorted(client.smembers(PORTALS)):
            portal_id = raw.decode()
            job = abandoned(client, portal_id, lease_timeout)
            if job is not None:
                portal, options = job.args
                _queue(client, portal, options, job.meta.get("tries", DEFAULT_TRIES), job.meta.get("backoff", 0))
                again.append(portal_id)
    return again


def busy(client: redis.Redis) -> bool:
    """Whether any portal's job is queued or running."""
    return any(owed(client, raw.decode()) is not None for raw in client.smembers(PORTALS))


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker's jobs need: the Redis URL, the archive directory and the lease timeout."""

    redis_url: str
    archive_dir: Path
    lease_timeout: float


_config: WorkerConfig | None = None  # set by `work` before RQ forks each job's work horse, which inherits it


def _die_with_parent() -> None:
    """Have the kernel kill this process when its parent (the worker) dies, as with the worker's machine."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)


@contextlib.contextmanager
def lease(client: redis.Redis, portal_id: str, job_id: str, timeout: float, retried: bool = False) -> Iterator[bool]:
    """Hold the portal's lease for the job while the block runs (False: not taken; the job is no longer current or
    another worker holds it). A renewal that finds the lease lost ends this process at once. Leaving it ends the
    portal's job (no longer owed), unless the block raised and the job is `retried` (RQ tries it again)."""
    ms = int(timeout * 1000)
    if not client.eval(TAKE, 2, key("job", portal_id), key("lease", portal_id), job_id, ms):
        yield False
        return
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(timeout / 3):
            if not client.eval(RENEW, 1, key("lease", portal_id), job_id, ms):
                os._exit(75)  # another worker has the portal now: stop writing its archive

    renewer = threading.Thread(target=renew, name=f"lease {portal_id}", daemon=True)
    renewer.start()
    ended = not retried
    try:
        yield True
        ended = True
    finally:
        stop.set()
        renewer.join()
        client.eval(END, 2, key("done", portal_id), key("lease", portal_id), job_id, int(ended))


def crawl_job(portal: Portal, options: CrawlOptions) -> dict:
    """The job: crawl `portal` into its archive under the worker's archive directory, holding its lease. A try
    that fails raises (RQ tries the job again while tries are left); the last one also records the failure."""
    assert _config is not None, "crawl_job runs in a `portal-archive worker`"
    _die_with_parent()
    job = get_current_job()
    client = connect(_config.redis_url)
    tries, left = job.meta.get("tries", 1), job.retries_left or 0
    with lease(client, portal.id, job.id, _config.lease_timeout, retried=left > 0) as held:
        if not held:
            return {"portal": portal.id, "skipped": "its lease is held by another job"}
        save_registry_row(_config.archive_dir, portal)
        try:
            error = unreachable(portal, options)
            run = None if error else crawl_portal(portal, _config.archive_dir, options, _config.redis_url)
            error = error or crawl_failure(archive_path(_config.archive_dir, portal.id), run)
            if error:
                raise CrawlFailed(error)
        except Exception as failure:
            if left:
                say(f"{portal.id}: {failed_try(tries - left, tries, str(failure), job.get_retry_interval())}")
            else:
                record_failure(_config.archive_dir, portal.id, tries, str(failure))
                say(f"{portal.id}: {failed_try(tries, tries, str(failure), None)}")
            raise
    clear_failure(_config.archive_dir, portal.id)
    say(f"{portal.id}: {summary(run, archive_path(_config.archive_dir, portal.id))}")
    return {"portal": portal.id, **{k: run[k] for k in ("finish_reason", "pages_fetched", "articles_new")}}


class CrawlFailed(RuntimeError):
    """A try of a portal's crawl that could not read the portal."""


def say(line: str) -> None:
    """A line of the worker's output."""
    print(line, flush=True)


class PortalWorker(Worker):
    """RQ's worker, one for the life of the process (RQ's teardown of a worker waits a second for its pubsub
    thread). Before each dequeue it queues again the jobs of dead workers (`reap`); in burst mode, when nothing is
    queued, it exits only once no job is owed anywhere, and waits for one meanwhile. Retries that are due are
    queued then too (`enqueue_retries`)."""

    def dequeue_job_and_maintain_ttl(self, timeout: int | None, max_idle_time: int | None = None):
        assert _config is not None
        while True:
            reap(self.connection, _config.lease_timeout)
            self.enqueue_retries()
            job = super().dequeue_job_and_maintain_ttl(None)  # what is queued now
            if job is not None or (timeout is None and not busy(self.connection)):
                return job
            job = super().dequeue_job_and_maintain_ttl(POLL, max_idle_time=POLL)  # or what comes within POLL
            if job is not None:
                return job

    def enqueue_retries(self) -> None:
        """Queue the retries that are due (RQ's scheduler, run once as RQ's burst mode does, by one worker at a
        time)."""
        scheduler = RQScheduler(self.queues, connection=self.connection, logging_level="WARNING")
        scheduler.acquire_locks()
        if scheduler.acquired_locks:
            try:
                scheduler.enqueue_scheduled_jobs()
            finally:
                scheduler.release_locks()


def work(config: WorkerConfig, burst: bool = False) -> int:
    """Take jobs until stopped (with `burst`: until no job is queued and none is owed anywhere)."""
    global _config
    _config = config
    preload(crawl_settings(config.archive_dir / "archive.db", 1.0))  # each job's work horse is forked warm
    client = connect(config.redis_url)
    name = f"portal-archive-{os.uname().nodename}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    PortalWorker([Queue(QUEUE, connection=client)], connection=client, name=name).work(
        burst=burst, logging_level="WARNING"
    )
    return 0
