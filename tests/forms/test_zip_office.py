"""Office files are checked as zips before anything reads them: entry count, expanded size,
compression ratio, an intact directory. Sent over HTTP as the 申报书's Word file.

The hostile files are generated (a million-entry directory, a deflated gigabyte of zeros) once
per session; the million-entry refusal must not cost the worker the 450 MB it once did.
"""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from form_inputs import PDF, application_form, upload

from forms_app import office_zip

LOCAL = struct.Struct("<4s2B4HL2L2H")
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
DOCUMENT = (b"word/document.xml", b"<w:document/>")
MB = 1024 * 1024


def _entry(name: bytes, packed: bytes, size: int, crc: int, method: int, offset: int) -> tuple[bytes, bytes]:
    """(local header + data, central directory record) of one zip entry."""
    local = LOCAL.pack(b"PK\x03\x04", 20, 0, 0, method, 0, 0x21, crc, len(packed), size, len(name), 0) + name
    central = CENTRAL.pack(b"PK\x01\x02", 20, 3, 20, 0, 0, method, 0, 0x21, crc, len(packed), size, len(name), 0, 0, 0, 0, 0, offset)
    return local + packed, central + name


def raw_zip(entries: list[tuple[bytes, bytes, int, int, int]], stated_count: int | None = None) -> bytes:
    """A zip from (name, packed data, declared size, crc, method) as written, declared sizes and all."""
    body, directory = [], []
    offset = 0
    for name, packed, size, crc, method in entries:
        local, central = _entry(name, packed, size, crc, method, offset)
        body.append(local)
        directory.append(central)
        offset += len(local)
    cd = b"".join(directory)
    count = len(entries) if stated_count is None else stated_count
    return b"".join(body) + cd + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(cd), offset, 0)


def stored(name: bytes, data: bytes) -> tuple[bytes, bytes, int, int, int]:
    return name, data, len(data), zlib.crc32(data), 0


def write_million_entries(path: Path, count: int = 1_000_000) -> None:
    """51 MB: a Word document entry, then a zip64 directory of `count` records (5-byte names) pointing at it."""
    local, first = _entry(DOCUMENT[0], DOCUMENT[1], len(DOCUMENT[1]), zlib.crc32(DOCUMENT[1]), 0, 0)
    prefix = CENTRAL.pack(b"PK\x01\x02", 20, 3, 20, 0, 0, 0, 0, 0x21, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0)
    directory = first + b"".join([prefix + b"%05x" % i for i in range(count - 1)])
    end64 = len(local) + len(directory)
    with open(path, "wb") as out:
        out.write(local)
        out.write(directory)
        out.write(struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), len(local)))
        out.write(struct.pack("<4sLQL", b"PK\x06\x07", 0, end64, 1))
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))


def gigabyte_of_zeros() -> bytes:
    """A real zip bomb: a Word document and one entry inflating to 1 GiB of zeros (1 MB packed).

    After a full flush deflate starts afresh, so one compressed megabyte of zeros repeated is the
    stream of a gigabyte: built in a second instead of compressing 1 GiB.
    """
    zeros = bytes(MB)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    packed = block * 1024 + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    return raw_zip([stored(*DOCUMENT), (b"word/media/image1.png", packed, 1024 * MB, crc, 8)])


@pytest.fixture(scope="session")
def million_entries(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("zips") / "million.docx"
    write_million_entries(path)
    return path


@pytest.fixture(scope="session")
def zip_bomb() -> bytes:
    return gigabyte_of_zeros()


def peak_rss_kb() -> int:
    return next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))


def send_word(client, content, name: str = "申报书.docx"):
    """Post the 申报书 with `content` (bytes or an open file) as its Word file; (status, page)."""
    stream = content if hasattr(content, "read") else io.BytesIO(content)
    response = client.post("/apply/", application_form(word_file=(stream, name)))
    return response.status_code, response.get_data(as_text=True)


def assert_refused(app, status: int, page: str, words: str) -> None:
    assert status == 422, status
    error = page.split('id="word_file-error">', 1)[1].split("<", 1)[0]
    assert words in error, error
    uploads = Path(app.instance_path) / "uploads"
    assert not any((uploads / "files").iterdir()) and not any((uploads / "pending").iterdir())


def test_a_million_entries_are_refused_from_the_end_record_with_little_memory(client, app, million_entries, capsys):
    assert 50_000_000 < million_entries.stat().st_size < app.config["FILE_MAX_BYTES"]
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS back to the current RSS
    before, start = peak_rss_kb(), time.perf_counter()
    with open(million_entries, "rb") as fh:
        status, page = send_word(client, fh)
    elapsed, growth = time.perf_counter() - start, (peak_rss_kb() - before) / 1024
    assert_refused(app, status, page, "1,000,000 个部件")
    # zipfile reading the directory took 470 MB here; the end record alone is a few kilobytes.
    assert growth < 64, f"peak RSS grew {growth:.0f} MB"
    with capsys.disabled():
        print(f"\nmillion-entry refusal over the test client: {elapsed:.2f} s, peak RSS +{growth:.1f} MB")


def test_a_zip_bomb_is_refused_by_its_compression_ratio(client, app, zip_bomb):
    status, page = send_word(client, zip_bomb)
    assert_refused(app, status, page, "压缩炸弹")


def test_declared_sizes_over_the_total_are_refused(client, app):
    # Ratio 60 each, believable alone; together 600 MB expanded.
    parts = [stored(*DOCUMENT)] + [(f"word/media/p{i}.bin".encode(), b"\x00" * MB, 60 * MB, 0, 8) for i in range(10)]
    status, page = send_word(client, raw_zip(parts))
    assert_refused(app, status, page, "解压后共 600 MB")


@pytest.mark.parametrize(("entries", "words"), [(office_zip.MAX_ENTRIES + 1, "超过 5,000 个部件"), (45_000, "压缩包目录有 2.")])
def test_an_understated_entry_count_does_not_fool_the_check(client, app, entries, words):
    """The end record says 3: the directory's size bounds what is read, the entries read are counted."""
    parts = [stored(*DOCUMENT)] + [stored(f"p/{i:05}".encode(), b"") for i in range(entries)]
    status, page = send_word(client, raw_zip(parts, stated_count=3))
    assert_refused(app, status, page, words)


@pytest.mark.parametrize("damage", ["truncated", "directory-past-end", "entry-inside-directory"])
def test_a_broken_directory_is_refused(client, app, docx_bytes, damage):
    if damage == "truncated":
        content = docx_bytes[:-30]
    elif damage == "directory-past-end":  # the end record's directory offset moved beyond the file
        at = docx_bytes.rfind(b"PK\x05\x06")
        content = docx_bytes[: at + 16] + struct.pack("<L", len(docx_bytes) * 2) + docx_bytes[at + 20 :]
    else:
        content = raw_zip([stored(*DOCUMENT), (b"x", b"", 0, 0, 0)])
        at = content.rfind(b"PK\x01\x02")  # the second record's local header offset → the directory's own start
        content = content[: at + 42] + struct.pack("<L", content.find(b"PK\x01\x02")) + content[at + 46 :]
    status, page = send_word(client, content)
    assert_refused(app, status, page, "文件已损坏")


def test_disguised_files_are_refused_both_ways(client, app, docx_bytes):
    status, page = send_word(client, PDF + b"%" * 1000, "申报书.docx")
    assert_refused(app, status, page, "不是Word 文档")
    response = client.post("/apply/", application_form(pdf_file=upload(docx_bytes, "盖章.pdf")))
    error = response.get_data(as_text=True).split('id="pdf_file-error">', 1)[1].split("<", 1)[0]
    assert response.status_code == 422 and "不是PDF 文件" in error


def test_a_real_word_file_is_still_accepted(client, app, docx_bytes):
    assert office_zip.problems(io.BytesIO(docx_bytes)) == []
    status, _ = send_word(client, docx_bytes)
    assert status == 303
    assert len(list((Path(app.instance_path) / "uploads" / "files").iterdir())) == 1


def test_a_zip64_word_file_within_the_limits_passes_the_check(tmp_path):
    """zip64 extra fields pass; over 0xFFFF entries the zip64 end record holds the only count, and is read."""
    import zipfile

    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(b"<w:document/>")
    with open(path, "rb") as fh:
        assert office_zip.problems(fh) == []
    million = tmp_path / "m.docx"
    write_million_entries(million, count=70_000)
    with open(million, "rb") as fh:
        assert "70,000 个部件" in office_zip.problems(fh)[0]
