"""Per-host politeness shared by every crawl process on every machine: a Redis-held next-allowed time per host.

Scrapy's `DOWNLOAD_DELAY` spaces the requests of one crawl process. Workers on several machines crawl different
portals, but portals can share a host (a province's server, the Internet Archive for every rescued portal), so each
request first reserves a slot on its host in Redis: one atomic script reads the host's next allowed time, takes
the later of it and now, and moves it on by the delay. The request then waits until its slot. Redis's own clock is
used, so the machines' clocks need not agree.

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
# Returns how many microseconds the caller waits before its request.
RESERVE = """
local now = redis.call('TIME')
local now_us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local next_us = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now_us, next_us)
redis.call('SET', KEYS[1], tostring(slot + tonumber(ARGV[1])), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 60000)
return slot - now_us
"""


def reserve(client: redis.Redis, host: str, delay: float) -> float:
    """Reserve the next slot for a request to `host` spaced `delay` seconds from the others; seconds to wait."""
    return client.eval(RESERVE, 1, KEY.format(host=host), int(delay * 1_000_000)) / 1_000_000


class SharedHostDelayMiddleware:
    """Downloader middleware: each request waits for its slot on its host (`reserve`), across all processes."""

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
        wait = reserve(self.client, urlsplit(request.url).hostname or "", self.delay)
        if wait > 0:
            await asyncio.sleep(wait)
