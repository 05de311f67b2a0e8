"""Retries that a flaky government server deserves: exponential backoff with jitter, `Retry-After`
honoured, and truncated bodies (shorter than Content-Length, or HTML cut before `</html>`) retried
instead of archived."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response


class TruncatedResponse(IgnoreRequest):
    """The body stayed cut short after every retry: it is recorded as an error, never archived."""


def is_truncated(response: Response, capture: bool = False) -> bool:
    """True when the body is shorter than its Content-Length, or an HTML page stops before `</html>`.

    A web archive's `capture` is only judged on the transfer: a capture cut short is what the archive holds, read
    as such (`scraper.captures`), and asking again gives the same bytes."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > len(response.body):
        return True
    if capture:
        return False
    content_type = response.headers.get("Content-Type", b"").lower()
    return b"html" in content_type and b"</html" not in response.body[-2048:].lower()


def retry_after(response: Response) -> float | None:
    """Seconds the server asks us to wait (`Retry-After` as seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, (parsedate_to_datetime(text) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, waiting `base * 2**n` seconds (plus jitter, at most `RETRY_BACKOFF_MAX`)
    before retry n+1, or what `Retry-After` says (at most `RETRY_AFTER_MAX`)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = crawler.settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.after_cap = crawler.settings.getfloat("RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def _delay(self, request: Request, asked: float | None) -> float:
        if asked is not None:
            return min(asked, self.after_cap)
        attempt = request.meta.get("retry_times", 0)
        return min(self.cap, self.base * 2**attempt) + random.uniform(0, self.base)

    async def _wait_then_retry(self, request: Request, reason: str | Exception, asked: float | None = None):
        retry = self._retry(request, reason)
        if retry is not None:
            await asyncio.sleep(self._delay(request, asked))
        return retry

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False):
            return response
        if response.status in self.retry_http_codes:
            reason = f"HTTP {response.status}"
            return await self._wait_then_retry(request, reason, retry_after(response)) or response
        if response.status == 200 and is_truncated(response, request.meta.get("capture", False)):
            retry = await self._wait_then_retry(request, "truncated body")
            if retry is None:
                raise TruncatedResponse(f"truncated body ({len(response.body)} bytes) after retries")
            return retry
        return response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if isinstance(exception, self.exceptions_to_retry) and not request.meta.get("dont_retry", False):
            return await self._wait_then_retry(request, exception)
        return None
