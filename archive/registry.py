"""The registry of portals: a CSV file, one row per portal (see the README's "Registry format").

Columns, in this order: `id` (unique, `^[a-z0-9-]+$`), `province`, `district`, `start_url` (the home page, http or
https; empty while unknown), `status` (`live`, `gone` or `unknown`) and `gone_since` (an ISO date; only for `gone`).
`read_registry` rejects a bad file with a `RegistryError` naming the file and line.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

COLUMNS = ("id", "province", "district", "start_url", "status", "gone_since")
STATUSES = ("live", "gone", "unknown")
_ID = re.compile(r"^[a-z0-9-]+$")


class RegistryError(ValueError):
    """A registry file that cannot be read: the message names the file and line."""


@dataclass(frozen=True)
class Portal:
    """One portal of the registry."""

    id: str
    province: str
    district: str
    start_url: str  # the home page; "" while unknown
    status: str  # live, gone or unknown
    gone_since: date | None = None


def _portal(row: dict[str, str]) -> Portal:
    """The portal of one CSV row; `ValueError` saying what is wrong with it."""
    cells = {column: row[column].strip() for column in COLUMNS}
    if not _ID.match(cells["id"]):
        raise ValueError(f"id {cells['id']!r} is not lower-case letters, digits and dashes")
    for column in ("province", "district"):
        if not cells[column]:
            raise ValueError(f"{column} is empty")
    status = cells["status"]
    if status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    url = cells["start_url"]
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"start_url {url!r} is not an http or https URL")
    elif status != "unknown":
        raise ValueError(f"a {status} portal needs a start_url")
    gone_since = None
    if cells["gone_since"]:
        if status != "gone":
            raise ValueError(f"gone_since is set but status is {status}, not gone")
        try:
            gone_since = date.fromisoformat(cells["gone_since"])
        except ValueError:
            raise ValueError(f"gone_since {cells['gone_since']!r} is not an ISO date (YYYY-MM-DD)") from None
    return Portal(cells["id"], cells["province"], cells["district"], url, status, gone_since)


def read_registry(path: str | Path) -> list[Portal]:
    """The portals of the registry at `path`, in file order, validated."""
    with open(path, encoding="utf-8-sig", newline="") as file:  # -sig: spreadsheets often write a BOM
        reader = csv.DictReader(file)
        header = tuple(reader.fieldnames or ())
        if header != COLUMNS:
            raise RegistryError(f"{path}:1: the header must be {','.join(COLUMNS)}, not {','.join(header)}")
        portals: list[Portal] = []
        seen: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if None in row or None in row.values():
                raise RegistryError(f"{path}:{line}: {len(COLUMNS)} cells expected")
            try:
                portal = _portal(row)
            except ValueError as error:
                raise RegistryError(f"{path}:{line}: {error}") from None
            if portal.id in seen:
                raise RegistryError(f"{path}:{line}: id {portal.id!r} is already on line {seen[portal.id]}")
            seen[portal.id] = line
            portals.append(portal)
    return portals


def write_registry(path: str | Path, portals: list[Portal]) -> None:
    """Write `portals` as a registry file at `path` (UTF-8, header first)."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for portal in portals:
            since = portal.gone_since.isoformat() if portal.gone_since else ""
            writer.writerow((portal.id, portal.province, portal.district, portal.start_url, portal.status, since))
