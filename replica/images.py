"""Tiny valid images for `/Uploads/...`: an 8×8 grey JPEG or a 1×1 PNG whose bytes derive from the path."""

import hashlib
import struct
import zlib


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def jpeg(key: str) -> bytes:
    """A baseline greyscale 8×8 JPEG of one shade, with `key` in a comment segment."""
    shade = hashlib.sha256(key.encode()).digest()[0] - 128  # the DC coefficient (quantiser 8 = 8·shade / 8)
    size = abs(shade).bit_length()
    bits = "0" + (format(shade if shade >= 0 else shade + (1 << size) - 1, f"0{size}b") if size else "") + "0"
    bits += "1" * (-len(bits) % 8)
    scan = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)).replace(b"\xff", b"\xff\x00")
    one_code = bytes([1] + [0] * 15)  # a Huffman table with a single 1-bit code
    return b"".join(
        (
            b"\xff\xd8",
            _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            _segment(0xFE, key.encode()[:60000]),
            _segment(0xDB, bytes([0, 8] + [1] * 63)),
            _segment(0xC0, bytes([8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
            _segment(0xC4, bytes([0x00]) + one_code + bytes([size])),
            _segment(0xC4, bytes([0x10]) + one_code + bytes([0x00])),
            _segment(0xDA, bytes([1, 1, 0x00, 0, 63, 0])),
            scan,
            b"\xff\xd9",
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(key: str) -> bytes:
    """A 1×1 RGB PNG whose colour derives from `key`."""
    colour = hashlib.sha256(key.encode()).digest()[:3]
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)),
            _chunk(b"IDAT", zlib.compress(b"\x00" + colour)),
            _chunk(b"IEND", b""),
        )
    )


def image_for(path: str) -> tuple[str, bytes]:
    """Content type and body for an image path: PNG for `.png`, JPEG otherwise."""
    return ("image/png", png(path)) if path.lower().endswith(".png") else ("image/jpeg", jpeg(path))
