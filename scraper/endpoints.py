"""One request at a time to each endpoint of a web archive, and none inside a `Retry-After` window.

The Internet Archive's CDX server and its replay are limited apart (the CDX far more tightly), answer 429 with
`Retry-After` when pushed, and block a client that sends more inside that window. Scrapy's downloader frees a slot
as soon as a response arrives, before any middleware reads it, so a request queued behind a 429 would go out at
once, inside the window. `EndpointGate` holds each endpoint (`request.meta["endpoint"]`) from the moment a request
leaves until its answer has been read, and after a 429 keeps it closed for the whole `Retry-After`. Requests
without an endpoint pass untouched. It sits between the retry middleware (550) and the downloader, so it sees
every 429 before the retry does; it counts each endpoint's requests and 429s in the crawl's stats
(`endpoint/<name>/requests`, `endpoint/<name>/429`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from scraper.retry import retry_after

RETRY_MARGIN = 0.25  # seconds past a Retry-After window before the endpoint is asked again


@dataclass
class _Endpoint:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    closed_until: float = 0.0


class EndpointGate:
    """Downloader middleware: per endpoint, one request in flight and a wait for the whole of every Retry-After."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.endpoints: dict[str, _Endpoint] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EndpointGate:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        name = request.meta.get("endpoint")
        if name is None:
            return
        endpoint = self.endpoints.setdefault(name, _Endpoint())
        await endpoint.lock.acquire()
        while (wait := endpoint.closed_until - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        request.meta["endpoint_held"] = True
        self.stats.inc_value(f"endpoint/{name}/requests")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 429 and request.meta.get("endpoint_held"):
            name = request.meta["endpoint"]
            self.stats.inc_value(f"endpoint/{name}/429")
            wait = retry_after(response)
            self.endpoints[name].closed_until = time.monotonic() + (wait if wait is not None else 60) + RETRY_MARGIN
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        if request.meta.pop("endpoint_held", False):
            self.endpoints[request.meta["endpoint"]].lock.release()
