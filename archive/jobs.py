"""Many machines: one RQ job per portal on a Redis queue, taken by `portal-archive worker`s anywhere.

RQ carries the jobs (the queue, the crawl's options pickled with them, a work horse forked for each job, so each
crawl has a process of its own). On top of it, per portal, in Redis (see README, "Many machines"):

- `job:<id>`: the portal's current RQ job; `done:<id>`: the job of it that last ended. A portal is *owed* while
  they differ: `enqueue` then does nothing, otherwise it queues a new job (an incremental re-crawl after the first);
- `lease:<id>`: the job's lease, taken by the work horse with SET NX (one worker per portal at a time) only if its
  job is still the portal's current one, and renewed every third of the lease timeout. A worker that finds its lease
  lost stops at once; RQ's own detection of a dead work horse waits a minute past its heartbeat, so the lease is ours;
- a started job whose lease is gone for the lease timeout (its worker was killed, or its machine died) is queued
  again by any worker (`reap`): the new crawl resumes from the portal's archive, which skips what is archived.

Requests are spaced per host across all workers through the same Redis (`scraper.hostdelay`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import redis
from rq import Queue, Worker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from archive.portal_crawl import CrawlOptions, crawl_portal
from archive.registry import Portal

QUEUE = "portal-archive"
PREFIX = "portal-archive"
PORTALS = f"{PREFIX}:portals"  # every portal ever enqueued
LOCK = f"{PREFIX}:lock"  # held while enqueuing or re-queuing, so that two never queue one portal twice
WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)
DEFAULT_LEASE = 300.0
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
# KEYS: the portal's last ended job, the lease; ARGV: this job's id.
END = """
redis.call('SET', KEYS[1], ARGV[1])
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


def _queue(client: redis.Redis, portal: Portal, options: CrawlOptions) -> Job:
    """Queue a new job for `portal` and make it the portal's current one."""
    job_id = f"{portal.id}-{uuid.uuid4().hex[:12]}"
    client.sadd(PORTALS, portal.id)
    client.set(key("job", portal.id), job_id)
    return Queue(QUEUE, connection=client).enqueue(
        crawl_job,
        portal,
        options,
        job_id=job_id,
        job_timeout=-1,  # a crawl takes as long as politeness makes it; a dead one is found by its lease
        result_ttl=KEEP_JOBS,
        failure_ttl=KEEP_JOBS,
        description=f"crawl {portal.id}",
    )


def enqueue(client: redis.Redis, portals: list[Portal], options: CrawlOptions) -> list[tuple[Portal, str]]:
    """Put one job per portal on the queue; what became of each (`queued`, `queued again`, `already queued`,
    `already running`, or `skipped`: no start URL)."""
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
            again = client.get(key("done", portal.id)) is not None
            _queue(client, portal, options)
            outcomes.append((portal, "queued again (incremental re-crawl)" if again else "queued"))
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
                _queue(client, portal, options)
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
def lease(client: redis.Redis, portal_id: str, job_id: str, timeout: float) -> Iterator[bool]:
    """Hold the portal's lease for the job while the block runs (False: not taken; the job is no longer current or
    another worker holds it). A renewal that finds the lease lost ends this process at once."""
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
    try:
        yield True
    finally:
        stop.set()
        renewer.join()
        client.eval(END, 2, key("done", portal_id), key("lease", portal_id), job_id)


def crawl_job(portal: Portal, options: CrawlOptions) -> dict:
    """The job: crawl `portal` into its archive under the worker's archive directory, holding its lease."""
    assert _config is not None, "crawl_job runs in a `portal-archive worker`"
    _die_with_parent()
    job = get_current_job()
    client = connect(_config.redis_url)
    with lease(client, portal.id, job.id, _config.lease_timeout) as held:
        if not held:
            return {"portal": portal.id, "skipped": "its lease is held by another job"}
        run = crawl_portal(portal, _config.archive_dir, options, host_delay_redis=_config.redis_url)
    return {"portal": portal.id, **{k: run[k] for k in ("finish_reason", "pages_fetched", "articles_new")}}


def work(config: WorkerConfig, burst: bool = False, poll: float = 1.0) -> int:
    """Take jobs until stopped (with `burst`: until no job is queued and none is running anywhere).

    Between jobs, and while idle, it queues again the jobs of dead workers (`reap`)."""
    global _config
    _config = config
    client = connect(config.redis_url)
    queue = Queue(QUEUE, connection=client)
    name = f"portal-archive-{os.uname().nodename}-{os.getpid()}"
    while True:
        reap(client, config.lease_timeout)
        worker = Worker([queue], connection=client, name=f"{name}-{uuid.uuid4().hex[:6]}")
        if worker.work(burst=True, max_jobs=1, logging_level="WARNING"):
            continue
        if burst and not busy(client):
            return 0
        time.sleep(poll)
