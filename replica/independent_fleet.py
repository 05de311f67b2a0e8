"""An independently written fleet of replica portals and their registry, for the many-portal crawls of issue 15.

Its author read none of the crawler nor the team's own fleet (``replica/fleet.py``): only PORTAL.md, the issue, the
README (the registry's format, the commands) and the two independent replicas it is made of. Each live portal is a
whole ``replica.independent.IndependentPortal`` (home page, two categories, a culture sub-site, photo library,
attachments) on a loopback address of its own (``127.0.0.N``, one host each), with its own size, seed, pager and
pages past the end. One portal is ``gone``: nothing answers on its host (port 80 of an address nothing listens on),
and ``replica.wayback_independent.IndependentWayback`` serves its captures from another address; the crawler finds
them through ``--source auto --cdx-url ... --replay-url ...`` (``Fleet.wayback_args``). One registry row has no
start URL. The registry is written as README documents it: ``id,province,district,start_url,status,gone_since``.

Ground truth: ``Fleet.live`` (each portal's articles, sections, documents and albums as absolute URLs, and its
request log), ``Fleet.gone`` (the articles a rescue can and cannot recover), ``Fleet.unknown`` (ids without a URL).

Run: ``python -m replica.independent_fleet --portals 6 --registry fleet.csv [--gone 1]`` serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from replica import wayback_independent
from replica.independent import IndependentPortal, RequestRecord
from replica.wayback_independent import IndependentWayback, WaybackRequest

COLUMNS = ("id", "province", "district", "start_url", "status", "gone_since")
GONE_SINCE = "2025-07-01"  # the day the districts were abolished; the Wayback replica's notices date from it


@dataclass(frozen=True)
class Spec:
    """One portal of the fleet: where it is, how big, and how its pagers behave."""

    id: str
    province: str
    district: str
    articles: int
    pager: str
    beyond: str
    seed: int


# Every pager mode and every beyond-the-end mode of replica.independent, over three provinces, sizes 14-33.
SPECS = (
    Spec("tam-duong", "Lai Châu", "Tam Đường", 24, "truthful", "empty", 101),
    Spec("moc-chau", "Sơn La", "Mộc Châu", 31, "too_big", "repeat_first", 102),
    Spec("muong-cha", "Điện Biên", "Mường Chà", 18, "too_small", "404", 103),
    Spec("phong-tho", "Lai Châu", "Phong Thổ", 27, "none", "empty", 104),
    Spec("mai-son", "Sơn La", "Mai Sơn", 22, "run_on_digits", "404", 105),
    Spec("tuan-giao", "Điện Biên", "Tuần Giáo", 33, "truthful", "repeat_first", 106),
    Spec("sin-ho", "Lai Châu", "Sìn Hồ", 14, "too_big", "404", 107),
    Spec("thuan-chau", "Sơn La", "Thuận Châu", 20, "too_small", "empty", 108),
)
GONE_SPECS = (Spec("muong-nhe", "Điện Biên", "Mường Nhé", 20, "truthful", "empty", 5),)
UNKNOWN = (("nam-po", "Điện Biên", "Nậm Pồ"), ("than-uyen", "Lai Châu", "Than Uyên"))


@dataclass
class LivePortal:
    """A portal that answers, with what a complete archive of it holds (absolute URLs, as served)."""

    spec: Spec
    portal: IndependentPortal
    base: str  # http://127.0.0.N:PORT

    @property
    def host(self) -> str:
        return self.base.split("//", 1)[1].split(":", 1)[0]

    @property
    def start_url(self) -> str:
        return self.base + "/"

    @property
    def articles(self) -> list[str]:
        """Every article of every section, once."""
        return [self.base + a.path for a in self.portal.all_articles]

    @property
    def sections(self) -> dict[str, list[str]]:
        """Each news list's title and the articles it shows."""
        return {s.title: [self.base + path for path in s.articles] for s in self.portal.sections}

    @property
    def documents(self) -> dict[str, str]:
        """Each attachment's URL and SHA-256."""
        return {self.base + d.path: d.sha256 for d in self.portal.attachments}

    @property
    def albums(self) -> list[str]:
        return [self.base + a.path for a in self.portal.albums]

    @property
    def requests(self) -> list[RequestRecord]:
        """What the portal answered so far (``at`` on this process's monotonic clock)."""
        return list(self.portal.requests)


@dataclass
class GonePortal:
    """A portal that no longer answers; its captures are in the fleet's Wayback replica."""

    spec: Spec
    host: str  # nothing listens on it
    wayback: IndependentWayback

    @property
    def start_url(self) -> str:
        return self.wayback.site  # http://<host>/Tintuc/?PageIndex=1: the list the captures hold

    @property
    def articles(self) -> list[str]:
        """The articles a complete rescue finds: those with a capture that reads as the article."""
        return [t.url for t in self.wayback.truth if t.recoverable]

    @property
    def lost(self) -> list[str]:
        """Articles the archive never captured, or captured only as notices, errors and the like."""
        return [t.url for t in self.wayback.truth if not t.recoverable]


@dataclass
class Fleet:
    live: list[LivePortal]
    gone: list[GonePortal]
    unknown: list[str]
    registry: Path
    wayback: IndependentWayback | None

    @property
    def wayback_args(self) -> list[str]:
        """What ``crawl --portals`` and ``enqueue`` need to rescue the gone portals."""
        if self.wayback is None:
            return []
        return ["--source", "auto", "--cdx-url", self.wayback.cdx_url, "--replay-url", self.wayback.replay_url]

    @property
    def wayback_requests(self) -> list[WaybackRequest]:
        """What the Wayback replica answered so far (``at`` on the wall clock)."""
        if self.wayback is None:
            return []
        return list(self.wayback.requests)


@contextlib.contextmanager
def _archived_as(host: str) -> Iterator[None]:
    """Build an IndependentWayback of a portal on ``host``: that module names its one host in module constants."""
    names = ("HOST", "HTTP", "HTTPS")
    saved = {name: getattr(wayback_independent, name) for name in names}
    wayback_independent.HOST, wayback_independent.HTTP, wayback_independent.HTTPS = (
        host,
        f"http://{host}",
        (f"https://{host}"),
    )
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(wayback_independent, name, value)


def write_registry(path: Path, rows: list[tuple[str, ...]]) -> None:
    """The registry CSV in README's format (UTF-8, a header row, one row per portal)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


@contextlib.contextmanager
def start_fleet(registry: Path, portals: int = 6, gone: int = 1, first_host: int = 2) -> Iterator[Fleet]:
    """Serve ``portals`` live portals on 127.0.0.<first_host>…, ``gone`` gone ones with their Wayback replica, and
    write the registry (with the rows of unknown start URL); stop them all when the block ends."""
    if not 1 <= portals <= len(SPECS) or not 0 <= gone <= len(GONE_SPECS):
        raise ValueError(f"portals: 1..{len(SPECS)}, gone: 0..{len(GONE_SPECS)}")
    with contextlib.ExitStack() as stack:
        live = []
        for k, spec in enumerate(SPECS[:portals]):
            portal = IndependentPortal(spec.articles, spec.pager, spec.beyond, spec.seed, whole=True)
            base = stack.enter_context(portal.serve(f"127.0.0.{first_host + k}", 0))
            live.append(LivePortal(spec, portal, base))
        dead, wayback = [], None
        for k, spec in enumerate(GONE_SPECS[:gone]):
            host = f"127.0.0.{first_host + portals + 1 + k}"
            with _archived_as(host):
                wayback = IndependentWayback(spec.articles, spec.seed, cdx_per_minute=120, replay_per_minute=1200,
                                             cdx_burst=5, replay_burst=20)  # fmt: skip
            dead.append(GonePortal(spec, host, wayback))
        if wayback is not None:
            stack.enter_context(wayback.serve(f"127.0.0.{first_host + portals}", 0))
        rows = [(p.spec.id, p.spec.province, p.spec.district, p.start_url, "live", "") for p in live]
        rows += [(p.spec.id, p.spec.province, p.spec.district, p.start_url, "gone", GONE_SINCE) for p in dead]
        rows += [(pid, province, district, "", "unknown", "") for pid, province, district in UNKNOWN]
        write_registry(registry, rows)
        yield Fleet(live, dead, [pid for pid, _, _ in UNKNOWN], registry, wayback)


def main(argv: list[str] | None = None) -> None:
    """Serve the fleet in the foreground until Ctrl-C."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--portals", type=int, default=6, help=f"live portals (1-{len(SPECS)})")
    ap.add_argument("--registry", type=Path, required=True, help="where to write the registry CSV")
    ap.add_argument("--gone", type=int, default=1, help=f"gone portals with a Wayback replica (0-{len(GONE_SPECS)})")
    args = ap.parse_args(argv)
    with start_fleet(args.registry, args.portals, args.gone) as fleet:
        for p in fleet.live:
            print(f"{p.spec.id}: {p.start_url} ({len(p.articles)} articles, pager {p.spec.pager}/{p.spec.beyond})")
        for p in fleet.gone:
            print(f"{p.spec.id}: gone, {len(p.articles)} articles recoverable of {len(p.wayback.truth)}")
        print(f"registry: {args.registry}")
        if fleet.wayback_args:
            print("crawl with: " + " ".join(fleet.wayback_args), flush=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # also when a shell's background job ignores it
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
