"""The registry of portals: reading, validation with errors naming the line, writing, the shipped portals.csv."""

import re
from datetime import date
from pathlib import Path

import pytest

from archive.registry import COLUMNS, Portal, RegistryError, read_registry, write_registry

ROOT = Path(__file__).resolve().parent.parent
HEADER = ",".join(COLUMNS)
GOOD = "huyen-dien-bien,Điện Biên,Điện Biên,http://huyendienbien.gov.vn/,live,"


def registry(tmp_path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "portals.csv"
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_shipped_registry_lists_dien_bien_province() -> None:
    portals = read_registry(ROOT / "portals.csv")
    by_id = {portal.id: portal for portal in portals}
    assert by_id["huyen-dien-bien"].start_url == "http://huyendienbien.gov.vn/"
    assert by_id["dien-bien-dong"].start_url == "https://dienbiendong.dienbien.gov.vn/"
    assert len(portals) == 10  # 8 districts, the city of Điện Biên Phủ and the town of Mường Lay
    assert {portal.province for portal in portals} == {"Điện Biên"}
    assert sum(not portal.start_url for portal in portals) == 8
    assert all(portal.status == "unknown" and portal.gone_since is None for portal in portals)


def test_round_trip(tmp_path: Path) -> None:
    portals = [
        Portal("huyen-dien-bien", "Điện Biên", "Điện Biên", "http://huyendienbien.gov.vn/", "live"),
        Portal("dien-bien-dong", "Điện Biên", "Điện Biên Đông", "https://x.gov.vn/", "gone", date(2025, 7, 1)),
        Portal("muong-nhe", "Điện Biên", 'Mường Nhé, "vùng cao"', "", "unknown"),
    ]
    path = tmp_path / "portals.csv"
    write_registry(path, portals)
    assert path.read_text(encoding="utf-8").splitlines()[0] == HEADER
    assert read_registry(path) == portals


def test_cells_are_stripped_and_a_bom_is_accepted(tmp_path: Path) -> None:
    path = registry(tmp_path, HEADER, " nam-po , Điện Biên , Nậm Pồ ,, unknown ,", "", encoding="utf-8-sig")
    assert read_registry(path) == [Portal("nam-po", "Điện Biên", "Nậm Pồ", "", "unknown")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Huyen Dien Bien,Điện Biên,Điện Biên,,unknown,", "id 'Huyen Dien Bien' is not lower-case"),
        ("x,Điện Biên,Điện Biên,,dead,", "status 'dead' is not one of live, gone, unknown"),
        ("x,Điện Biên,Điện Biên,ftp://x.gov.vn/,live,", "start_url 'ftp://x.gov.vn/' is not an http or https URL"),
        ("x,Điện Biên,Điện Biên,huyendienbien.gov.vn,live,", "is not an http or https URL"),
        ("x,Điện Biên,Điện Biên,,live,", "a live portal needs a start_url"),
        ("x,Điện Biên,Điện Biên,http://x.vn/,gone,01/07/2025", "gone_since '01/07/2025' is not an ISO date"),
        ("x,Điện Biên,Điện Biên,http://x.vn/,unknown,2025-07-01", "gone_since is set but status is unknown"),
        ("x,,Điện Biên,,unknown,", "province is empty"),
        ("x,Điện Biên,Điện Biên,,unknown", "6 cells expected"),
        ("x,Điện Biên,Điện Biên,,unknown,,", "6 cells expected"),
        ("huyen-dien-bien,Điện Biên,Điện Biên,,unknown,", "id 'huyen-dien-bien' is already on line 2"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, row: str, message: str) -> None:
    path = registry(tmp_path, HEADER, GOOD, row)
    with pytest.raises(RegistryError, match=f"^{re.escape(str(path))}:3: .*{re.escape(message)}"):
        read_registry(path)


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = registry(tmp_path, "id,province,district,url,status,gone_since", GOOD)
    with pytest.raises(RegistryError, match=f"^{re.escape(str(path))}:1: the header must be {HEADER}"):
        read_registry(path)
