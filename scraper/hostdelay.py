"""Per-host politeness shared by every crawl process on every machine: a Redis-held next-allowed time per host.

Scrapy's `DOWNLOAD_DELAY` spaces the requests of one crawl process. Workers on several machines crawl different
portals, but portals can share a host (a province's server, the Internet Archive for every rescued portal), so each
request first claims its host in Redis: one atomic script compares now with the host's next allowed time; when that
time has come, it sets it to now plus the delay and the request goes at once, otherwise the request waits the time
left and tries again. When the request's answer (or its failure) comes back, the next allowed time is moved on to
the delay from then, if it was sooner. So the host sees two requests a delay apart even when one was held up
between its claim and the host (a process scheduled late on a busy machine, which a margin on the delay covers
only as far as it guesses right): the earlier request was there before its answer left, the later one not before
its claim. The cost is the answer's time on top of the delay. The times are counted from when a request actually
went or was answered, never from a slot it was promised, so a process that wakes late cannot bunch its request up
against the next one. Redis's own clock is used, so the machines' clocks need not agree.

Settings: `HOST_DELAY_REDIS` (a Redis URL; empty: off) and `HOST_DELAY` (seconds between two requests to a host).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

KEY = "portal-archive:host-next:{host}"
# KEYS[1]: the host's next allowed time (microseconds on Redis's clock); ARGV[1]: the delay in microseconds.
# Returns 0 when the caller may send now (and the next allowed time is moved on), else the microseconds to wait.
CLAIM = """
local now = redis.call('TIME')
local now_us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local next_us = tonumber(redis.call('GET', KEYS[1]) or '0')
if now_us < next_us then return next_us - now_us end
redis.call('SET', KEYS[1], tostring(now_us + tonumber(ARGV[1])), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 60000)
return 0
"""
# Same keys and argument: after an answer, the next allowed time is at least the delay from now.
ANSWERED = """
local now = redis.call('TIME')
local at = tonumber(now[1]) * 1000000 + tonumber(now[2]) + tonumber(ARGV[1])
if at > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tostring(at), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 60000)
end
return 0
"""


def claim(client: redis.Redis, host: str, delay: float) -> float:
    """Claim `host` for a request now, `delay` seconds after the last claim: 0, or the seconds to wait first."""
    return client.eval(CLAIM, 1, KEY.format(host=host), int(delay * 1_000_000)) / 1_000_000


def answered(client: redis.Redis, host: str, delay: float) -> None:
    """A request to `host` was answered (or failed) now: the next may go `delay` seconds from now at the soonest."""
    client.eval(ANSWERED, 1, KEY.format(host=host), int(delay * 1_000_000))


class SharedHostDelayMiddleware:
    """Downloader middleware: each request waits until it may claim its host (`claim`), across all processes, and
    its answer or failure moves the host's next time on (`answered`)."""

    def __init__(self, url: str, delay: float) -> None:
        self.client = redis.Redis.from_url(url)
        self.delay = delay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostDelayMiddleware:
        url = crawler.settings.get("HOST_DELAY_REDIS")
        delay = crawler.settings.getfloat("HOST_DELAY")
        if not url or delay <= 0:
            raise NotConfigured
        return cls(url, delay)

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        while (wait := claim(self.client, host, self.delay)) > 0:
            await asyncio.sleep(wait)

    def process_response(self, request: Request, response: Response) -> Response:
        answered(self.client, urlsplit(request.url).hostname or "", self.delay)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        answered(self.client, urlsplit(request.url).hostname or "", self.delay)
