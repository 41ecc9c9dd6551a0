"""Hostile files, built in memory and kept small: what each declares is what makes it hostile.

Shared by the tests of uploads (tests/lib), the registry import (tests/registry) and instrument
files (tests/assessment).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook
from PIL import Image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def declared_png(width: int, height: int) -> bytes:
    """A tiny real PNG whose header (IHDR, with a correct CRC) claims `width` × `height`.

    The pixel data is for 8 × 8, so decoding it fails; only reading the header can tell.
    """
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="PNG")
    data = buffer.getvalue()
    ihdr_start = 8  # after the PNG signature: length (4), b"IHDR", 13 bytes, CRC (4)
    length = struct.unpack(">I", data[ihdr_start : ihdr_start + 4])[0]
    body = bytearray(data[ihdr_start + 8 : ihdr_start + 8 + length])
    body[0:8] = struct.pack(">II", width, height)
    return data[:ihdr_start] + _chunk(b"IHDR", bytes(body)) + data[ihdr_start + 12 + length :]


def pixel_bomb_png(side: int = 13_000) -> bytes:
    """A real, decodable black-and-white PNG of `side` × `side` pixels in about 20 KB: rows of
    zeros compress a thousandfold. Decoding it to RGB for a thumbnail takes about half a GB."""
    row = b"\x00" + bytes((side + 7) // 8)  # filter byte, then 1 bit per pixel
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    pixels = zlib.compress(row * side, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def xlsx_bomb(unzipped_bytes: int) -> bytes:
    """A valid XLSX (a header row and one ormas) with an extra part of `unzipped_bytes` zeros,
    which deflate packs about a thousandfold: small to upload, huge to unpack."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Nama Ormas", "Kecamatan"])
    sheet.append(["Paguyuban Bom Zip (fiktif)", "Sukorejo"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(unzipped_bytes))
    return buffer.getvalue()


def billion_laughs(levels: int = 9) -> str:
    """The YAML alias bomb: each level refers nine times to the one before it."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return "\n".join(lines) + "\n"
