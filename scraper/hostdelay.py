"""Per-host politeness shared by every crawl process on every machine: a Redis-held next-allowed time per host.

Scrapy's `DOWNLOAD_DELAY` spaces the requests of one crawl process. Workers on several machines crawl different
portals, but portals can share a host (a province's server, the Internet Archive for every rescued portal), so each
request first claims its host in Redis: one atomic script compares now with the host's next allowed time; when that
time has come, it sets it to now plus the delay and the request goes at once, otherwise the request waits the time
left and tries again. The next allowed time is counted from when a request actually went, never from a slot it
was promised, so a crawl process that wakes late (a busy machine) cannot bunch its request up against the next
one. Redis's own clock is used, so the machines' clocks need not agree.

Settings: `HOST_DELAY_REDIS` (a Redis URL; empty: off) and `HOST_DELAY` (seconds between two requests to a host).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

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


# Requests are claimed this much further apart than the delay: between its claim and the host, a request's way
# varies by tens of milliseconds on a busy machine, and the host must never see two closer than the delay.
MARGIN = 0.1


def claim(client: redis.Redis, host: str, delay: float) -> float:
    """Claim `host` for a request now, spaced `delay` seconds (and `MARGIN`) from the last one: 0, or the seconds
    to wait first."""
    return client.eval(CLAIM, 1, KEY.format(host=host), int(delay * (1 + MARGIN) * 1_000_000)) / 1_000_000


class SharedHostDelayMiddleware:
    """Downloader middleware: each request waits until it may claim its host (`claim`), across all processes."""

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
