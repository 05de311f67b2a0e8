"""The fleet of replica portals, over real HTTP: one loopback address each, their own articles, their registry."""

import html
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.registry import read_registry
from replica.fleet import GONE_SINCE, FleetOptions, FleetPortal, plan, start_fleet
from replica.server import free_port
from replica.themes import THEMES

ROOT = Path(__file__).resolve().parent.parent
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy, even for 127.0.0.N


def get(url: str) -> tuple[str, str]:
    """GET `url` (following redirects): the final URL and the page's text."""
    with _DIRECT.open(url, timeout=20) as response:
        return response.url, response.read().decode("utf-8")


def refused(host: str, port: int) -> bool:
    """True when nothing listens on `host:port`."""
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def bindable(host: str, port: int) -> bool:
    """True when `host:port` can be bound again (the server's socket is closed)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def check_portal(portal: FleetPortal) -> None:
    """The portal's home page links its news list and boxes its own newest articles first."""
    assert portal.replica is not None
    final, page = get(portal.url)
    assert final == portal.url  # the home page itself, which a whole-portal crawl starts from
    slugs = list(dict.fromkeys(re.findall(r'href="/?T/([A-Z0-9-]+)\?PageIndex=1"', page)))
    assert slugs[:6] == [article.slug for article in portal.replica.listed[:6]]
    assert re.search(r'href="/?Tintuc/"', page)
    assert portal.replica.request_log == [("GET", "/")]


def test_twenty_portals_on_their_own_addresses(tmp_path: Path) -> None:
    registry = tmp_path / "portals.csv"
    with start_fleet(FleetOptions(portals=20, seed=1), registry) as fleet:
        portals = fleet.portals
        assert fleet.registry == registry
        assert [portal.host for portal in portals] == [f"127.0.0.{n}" for n in range(2, 22)]
        assert {portal.options.theme for portal in portals} == set(THEMES)
        assert len({portal.options.n_articles for portal in portals}) > 10
        assert len({portal.options.seed for portal in portals}) == 20
        for portal in portals:
            check_portal(portal)
        entries = read_registry(registry)
        assert entries == [portal.entry for portal in portals]
        assert [entry.id for entry in entries] == [f"replica-{n:02d}" for n in range(1, 21)]
        assert {entry.status for entry in entries} == {"live"}
        assert [entry.start_url for entry in entries] == [portal.url for portal in portals]
        assert len({entry.district for entry in entries}) == 20
        assert len({entry.province for entry in entries}) == 4
    for portal in portals:
        assert refused(portal.host, portal.port)
        assert bindable(portal.host, portal.port)


def cdx_rows(cdx_url: str, origin: str) -> list[str]:
    """The CDX lines a web archive holds of the host of `origin`."""
    return get(f"{cdx_url}?url={urlsplit(origin).netloc}/&matchType=host")[1].splitlines()


def test_gone_portals_are_in_the_registry_without_a_server_and_in_one_web_archive(tmp_path: Path) -> None:
    port = free_port("127.0.0.2")
    with start_fleet(FleetOptions(portals=6, seed=3, gone=2, port=port), tmp_path / "portals.csv") as fleet:
        assert {portal.port for portal in fleet.portals} == {port}
        gone = [portal for portal in fleet.portals if portal.gone]
        assert len(gone) == 2
        assert all(portal.replica is None and refused(portal.host, portal.port) for portal in gone)
        for portal in fleet.portals:
            if not portal.gone:
                check_portal(portal)
        entries = {entry.id: entry for entry in read_registry(fleet.registry)}
        for portal in fleet.portals:
            entry = entries[portal.id]
            assert (entry.status, entry.gone_since) == (("gone", GONE_SINCE) if portal.gone else ("live", None))
            assert entry.start_url == portal.url
        # One web archive holds every gone portal under its own URL, built from the portal's corpus; no live one.
        wayback = fleet.wayback
        assert set(wayback.sites) == {portal.origin for portal in gone}
        live = next(portal for portal in fleet.portals if not portal.gone)
        for portal in [*gone, live]:  # within the CDX server's burst
            assert bool(cdx_rows(wayback.cdx_url, portal.origin)) == portal.gone, portal.id
        for portal in gone:
            truth = wayback.truth_of(portal.origin)
            assert len(truth.articles) == portal.options.n_articles and len(truth.rescuable) > 15
            newest = truth.rescuable[0].newest
            assert newest.url.startswith(portal.origin)
            _, page = get(f"{wayback.replay_url}{newest.timestamp}id_/{newest.url}")
            assert newest.article.expected.title in html.unescape(page)


def test_the_fleet_is_drawn_from_its_seed() -> None:
    assert plan(FleetOptions(portals=8, seed=5, gone=3)) == plan(FleetOptions(portals=8, seed=5, gone=3))
    assert plan(FleetOptions(portals=8, seed=5)) != plan(FleetOptions(portals=8, seed=6))
    with pytest.raises(ValueError, match="1 to 253 portals"):
        plan(FleetOptions(portals=254))
    with pytest.raises(ValueError, match="3 gone portals of 2"):
        plan(FleetOptions(portals=2, gone=3))


def test_command_serves_the_fleet_until_interrupted(tmp_path: Path) -> None:
    registry = tmp_path / "fleet.csv"
    command = [sys.executable, "-m", "replica.fleet", "--portals", "3", "--registry", str(registry), "--seed", "2"]
    process = subprocess.Popen([*command, "--gone", "1"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == str(registry)
        wayback = re.fullmatch(r"--cdx-url (\S+) --replay-url (\S+)\n", process.stdout.readline())
        assert wayback
        entries = read_registry(registry)
        assert [urlsplit(entry.start_url).hostname for entry in entries] == ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
        for entry in entries:
            if entry.status == "gone":
                assert cdx_rows(wayback[1], entry.start_url)  # what a rescue with these URLs reads
                continue
            final, page = get(entry.start_url)
            assert final == entry.start_url and re.search(r'href="/?Tintuc/"', page)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
