"""Office files (.docx, .xlsx: zip containers) checked from their directory before anything opens them.

A zip lists its entries in a central directory at its end, each with its declared sizes.
zipfile builds an object per entry as it opens a file, so a 51 MB upload of a million entries
tied a worker for 8 s and 450 MB (issue 10). Here the end record is read first: its entry count
and directory size decide whether the directory is read at all, and then only the entries'
declared sizes are looked at — nothing is decompressed. Declared sizes bound every later
reader in this app: zipfile's readers stop at an entry's declared size and check its CRC.
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

MAX_ENTRIES = 5000  # a Word file with hundreds of pictures has a few hundred parts
MAX_DIRECTORY_BYTES = 2 * 1024 * 1024  # 5,000 entries with 300-byte names
MAX_EXPANDED_BYTES = 500 * 1024 * 1024  # all entries together, as declared
MAX_RATIO = 100  # Word's XML packs 5–20 to one; a bomb of zeros a thousand
RATIO_FLOOR = 1024 * 1024  # smaller entries may pack as well as they like

END = struct.Struct("<4s4H2LH")  # signature, disk, directory disk, entries here, entries, dir size, dir offset, comment length
END64_LOCATOR = struct.Struct("<4sLQL")  # signature, disk, offset of the zip64 end record, disks
END64 = struct.Struct("<4sQ2H2L4Q")  # signature, size, versions ×2, disks ×2, entries here, entries, dir size, dir offset
MAX_COMMENT = 0xFFFF
REDO = "请用 Word 或 WPS 重新保存后再上传。"
BROKEN = "文件已损坏（压缩包目录不完整或有误），不是可以打开的 Office 文档。" + REDO


class _Broken(Exception):
    pass


def problems(fh: BinaryIO) -> list[str]:
    """What is wrong with the zip open as `fh` (Chinese, for the person uploading); empty if fit.

    Reads the end of the file, then at most MAX_DIRECTORY_BYTES of directory; its position moves.
    """
    try:
        entries, dir_size, dir_offset = _directory_bounds(fh)
    except _Broken:
        return [BROKEN]
    if entries > MAX_ENTRIES:
        return [f"文件内含 {entries:,} 个部件，超过 {MAX_ENTRIES:,} 个的上限，不是正常的 Office 文档。" + REDO]
    if dir_size > MAX_DIRECTORY_BYTES:
        return [
            f"文件的压缩包目录有 {dir_size / 1024 / 1024:.1f} MB，超过 {MAX_DIRECTORY_BYTES // 1024 // 1024} MB 的上限，不是正常的 Office 文档。"
            + REDO
        ]
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error, NotImplementedError):
        return [BROKEN]
    return _entry_problems(infos, dir_offset)


def _entry_problems(infos: list[zipfile.ZipInfo], dir_offset: int) -> list[str]:
    if len(infos) > MAX_ENTRIES:  # the end record understated the count
        return [f"文件内含超过 {MAX_ENTRIES:,} 个部件，不是正常的 Office 文档。" + REDO]
    found: list[str] = []
    total = 0
    for info in infos:
        if info.header_offset >= dir_offset:
            return [BROKEN]  # an entry said to lie in or after the directory itself
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            found.append(
                f"文件中的部件“{info.filename[:60]}”压缩了 {info.file_size // max(info.compress_size, 1):,} 倍"
                f"（上限 {MAX_RATIO} 倍），像是解压后会占满内存或磁盘的“压缩炸弹”，已拒绝。" + REDO
            )
            break
    if total > MAX_EXPANDED_BYTES:
        found.append(
            f"文件解压后共 {total / 1024 / 1024:,.0f} MB，超过 {MAX_EXPANDED_BYTES // 1024 // 1024} MB 的上限，已拒绝。"
            "请压缩文档中的图片后重新保存再上传。"
        )
    return found


def _directory_bounds(fh: BinaryIO) -> tuple[int, int, int]:
    """(entry count, directory size, directory offset) from the end record (zip64 too); raise _Broken."""
    size = fh.seek(0, 2)
    tail_start = max(0, size - END.size - MAX_COMMENT)
    fh.seek(tail_start)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + END.size > len(tail):
        raise _Broken
    end_pos = tail_start + at
    _, _, _, _, entries, dir_size, dir_offset, _ = END.unpack_from(tail, at)
    if entries == 0xFFFF or dir_size == 0xFFFFFFFF or dir_offset == 0xFFFFFFFF:
        entries, dir_size, dir_offset, end_pos = _zip64_bounds(fh, end_pos)
    # zipfile allows bytes before the archive (self-extractors): the directory ends where the end record starts.
    if dir_size > end_pos or dir_offset > end_pos - dir_size:
        raise _Broken
    return entries, dir_size, end_pos - dir_size


def _zip64_bounds(fh: BinaryIO, end_pos: int) -> tuple[int, int, int, int]:
    if end_pos < END64_LOCATOR.size + END64.size:
        raise _Broken
    fh.seek(end_pos - END64_LOCATOR.size)
    signature, _, _, _ = END64_LOCATOR.unpack(fh.read(END64_LOCATOR.size))
    if signature != b"PK\x06\x07":
        raise _Broken
    record_pos = end_pos - END64_LOCATOR.size - END64.size  # where zipfile looks for it too
    fh.seek(record_pos)
    record = END64.unpack(fh.read(END64.size))
    if record[0] != b"PK\x06\x06":
        raise _Broken
    return record[7], record[8], record[9], record_pos
