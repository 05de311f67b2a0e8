"""A fleet of replica portals, each on its own loopback address, and a registry of them (for tests and benchmarks).

`start_fleet(FleetOptions(portals=20, seed=1, gone=2), path)` draws every portal from the one seed (its size,
markup theme, corpus seed and a made-up province and district), serves each on `127.0.0.2`, `127.0.0.3`, … (Scrapy
throttles per host name, so ports on one address would be one host) and writes the registry to `path`, each
portal's `start_url` its home page (`/`, which links its lists: where a whole-portal crawl starts).

A portal drawn `gone` has an address, options and a registry row (status `gone`, gone since 2025-07-01) but no
server: nothing answers its URL. One Wayback Machine replica (`replica.wayback`, on 127.0.0.1) holds captures of
every gone portal under its URL, made from its corpus (`FleetPortal.options`) on the web archive's crawl dates, as
the Internet Archive holds all of them: `Fleet.wayback` (its `cdx_url` and `replay_url` are what a rescue is told,
`truth_of(portal.origin)` what it can rescue).

`python -m replica.fleet --portals 20 --registry PATH [--seed S] [--gone N] [--port P]` serves a fleet in the
foreground until Ctrl-C and prints the registry's path, then the web archive's `--cdx-url` and `--replay-url`.
"""

import argparse
import contextlib
import random
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from archive.registry import Portal, write_registry
from replica.server import Replica, ReplicaOptions, free_port, start
from replica.themes import THEMES
from replica.wayback import Site, WaybackOptions, WaybackReplica

MAX_PORTALS = 253  # 127.0.0.2 to 127.0.0.254
GONE_SINCE = date(2025, 7, 1)  # the districts were abolished
PROVINCES = ("Sơn Lĩnh", "Hà Nguyên", "Tây Mường", "Lạc Châu", "Bắc Điền", "Vĩnh Cao", "Nam Lai", "Quảng Bản")
_FIRST = "Mường Nậm Sìn Tà Pá Bản Phú Tân Yên Thanh Đông Na Si Hồng Xuân".split()
_SECOND = "Khoa Lương Hòa Bình Thủy Hưng Lâm Giang Phìn Sáng Mạ Lếch Quang Tiến Pao Cang Hẹ".split()
# The web archive of the gone portals: the IA's CDX pace; replay fast enough for a test, slow enough to be hit.
WEB_ARCHIVE_LIMITS = WaybackOptions(cdx_per_minute=60, replay_per_minute=1200, cdx_burst=5, replay_burst=30)
DISTRICTS = tuple(f"{first} {second}" for first in _FIRST for second in _SECOND)  # 255, one each for 253 portals


@dataclass(frozen=True)
class FleetOptions:
    """How many portals (1 to 253) and how many of them are `gone`, the seed all is drawn from, the range of
    corpus sizes (at least 25, the special articles), how many provinces the districts fall in, the port
    every portal listens on (0: a free port each), and the web archive's limits (its sites are the gone portals)."""

    portals: int = 20
    seed: int = 1
    gone: int = 0
    min_articles: int = 25
    max_articles: int = 200
    provinces: int = 4
    port: int = 0
    wayback: WaybackOptions = WEB_ARCHIVE_LIMITS


@dataclass(frozen=True)
class FleetPortal:
    """One portal of the fleet: its registry names, address, replica options, whether it is gone, and its
    running replica (None when gone)."""

    id: str
    province: str
    district: str
    host: str
    port: int
    options: ReplicaOptions
    gone: bool  # no server: only a web-archive replica may serve it
    replica: Replica | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The home page: where a crawler starts (it links the portal's lists)."""
        return self.origin + "/"

    @property
    def entry(self) -> Portal:
        """The portal's registry row."""
        if self.gone:
            return Portal(self.id, self.province, self.district, self.url, "gone", GONE_SINCE)
        return Portal(self.id, self.province, self.district, self.url, "live")


@dataclass(frozen=True)
class Fleet:
    """The running fleet: its portals in registry order, the registry file written for them, and the web archive
    holding the gone ones (None when none is gone)."""

    portals: list[FleetPortal]
    registry: Path
    wayback: WaybackReplica | None = None

    @property
    def live(self) -> list[FleetPortal]:
        return [portal for portal in self.portals if not portal.gone]

    @property
    def gone(self) -> list[FleetPortal]:
        return [portal for portal in self.portals if portal.gone]


def plan(options: FleetOptions) -> list[FleetPortal]:
    """The fleet's portals as drawn from `options.seed`, none started (`port` is `options.port`)."""
    if not 1 <= options.portals <= MAX_PORTALS:
        raise ValueError(f"a fleet has 1 to {MAX_PORTALS} portals, not {options.portals}")
    if not 0 <= options.gone <= options.portals:
        raise ValueError(f"{options.gone} gone portals of {options.portals}")
    rng = random.Random(options.seed)
    provinces = rng.sample(PROVINCES, min(options.provinces, options.portals))
    districts = rng.sample(DISTRICTS, options.portals)
    themes = rng.sample(tuple(THEMES), len(THEMES))  # round-robin: every theme once there are four portals
    seeds = rng.sample(range(1, 1_000_000), options.portals)
    gone = set(rng.sample(range(options.portals), options.gone))
    width = max(2, len(str(options.portals)))
    return [
        FleetPortal(
            id=f"replica-{index + 1:0{width}d}",
            province=provinces[index % len(provinces)],
            district=districts[index],
            host=f"127.0.0.{index + 2}",
            port=options.port,
            options=ReplicaOptions(
                n_articles=rng.randint(options.min_articles, options.max_articles),
                seed=seeds[index],
                theme=themes[index % len(themes)],
            ),
            gone=index in gone,
        )
        for index in range(options.portals)
    ]


@contextlib.contextmanager
def start_fleet(options: FleetOptions, registry: str | Path) -> Iterator[Fleet]:
    """Start the fleet's live portals and the web archive of its gone ones, write its registry to `registry`; stop
    them all on leaving."""
    replicas: list[Replica] = []
    try:
        portals = []
        for portal in plan(options):
            if portal.gone:
                portals.append(replace(portal, port=portal.port or free_port(portal.host)))
            else:
                replicas.append(start(portal.options, portal.host, portal.port))
                portals.append(replace(portal, port=urlsplit(replicas[-1].origin).port, replica=replicas[-1]))
        write_registry(registry, [portal.entry for portal in portals])
        with _web_archive(options.wayback, [p for p in portals if p.gone]) as wayback:
            yield Fleet(portals, Path(registry), wayback)
    finally:
        _stop(replicas)


@contextlib.contextmanager
def _web_archive(limits: WaybackOptions, gone: list[FleetPortal]) -> Iterator[WaybackReplica | None]:
    """One Wayback replica holding every gone portal, served on 127.0.0.1 (None when none is gone)."""
    if not gone:
        yield None
        return
    sites = tuple(Site(p.origin, p.options.n_articles, p.options.seed, p.options.theme) for p in gone)
    wayback = WaybackReplica(replace(limits, sites=sites))
    with wayback.serve("127.0.0.1"):
        yield wayback


def _stop(replicas: list[Replica]) -> None:
    """Stop the replicas all at once: each waits up to half a second for its server loop to notice."""
    with ThreadPoolExecutor(max_workers=max(len(replicas), 1)) as pool:
        list(pool.map(Replica.stop, replicas))


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve the fleet, print the registry's path."""
    parser = argparse.ArgumentParser(
        prog="python -m replica.fleet", description="Serve a fleet of replica portals until Ctrl-C."
    )
    parser.add_argument("--portals", type=int, default=20)
    parser.add_argument("--registry", type=Path, required=True, help="the registry CSV to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gone", type=int, default=0, help="portals gone: no server, captures in a web archive")
    parser.add_argument("--port", type=int, default=0, help="the port of every portal (0: a free port each)")
    args = parser.parse_args(argv)
    options = FleetOptions(portals=args.portals, seed=args.seed, gone=args.gone, port=args.port)
    # Ctrl-C stops the fleet even when started from a shell's background job (which ignores SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with start_fleet(options, args.registry) as fleet:
        print(fleet.registry, flush=True)
        if fleet.wayback:
            print(f"--cdx-url {fleet.wayback.cdx_url} --replay-url {fleet.wayback.replay_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
