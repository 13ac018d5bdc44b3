"""Pick the reader for a file by its extension, after checking its content agrees."""

from __future__ import annotations

import zipfile
from pathlib import Path

from . import csv_reader
from .grid import Row, TableError
from .office_readers import read_docx, read_xlsx

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # refuses zip bombs before any XML is parsed
READERS = {".xlsx": read_xlsx, ".docx": read_docx, ".csv": csv_reader.read}
OLD_FORMATS = {
    ".xls": "旧版 Excel 文件（.xls）暂不支持，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入",
    ".doc": "旧版 Word 文件（.doc）暂不支持，请在 Word 或 WPS 中“另存为” .docx 后再导入",
    ".et": "WPS 表格文件（.et）暂不支持，请另存为 .xlsx 后再导入",
    ".wps": "WPS 文字文件（.wps）暂不支持，请另存为 .docx 后再导入",
}
ZIP_PARTS = {".xlsx": "xl/workbook.xml", ".docx": "word/document.xml"}
KIND_NAMES = {
    "xl/workbook.xml": "Excel 表格（.xlsx）",
    "word/document.xml": "Word 文档（.docx）",
    "ppt/presentation.xml": "PowerPoint 演示文稿",
}


def read_rows(path: Path) -> list[Row]:
    """Every row of the file's tables, as text; TableError for anything unreadable."""
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise TableError(OLD_FORMATS[suffix])
    if suffix not in READERS:
        raise TableError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”：请提供 .xlsx、.docx 或 .csv 文件")
    if not path.is_file():
        raise TableError(f"找不到文件：{path}")
    size = path.stat().st_size
    if size == 0:
        raise TableError(f"文件是空的：{path.name}")
    if size > MAX_FILE_BYTES:
        raise TableError(f"文件过大（{size / 1024 / 1024:.1f} MB）：计划表不应超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请确认选对了文件")
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix in ZIP_PARTS:
        _check_office(path, head, ZIP_PARTS[suffix])
    elif head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or (b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise TableError(f"“{path.name}”扩展名是 .csv，内容却不是文本表格（可能是改了扩展名的 Excel 或 Word 文件）")
    rows = READERS[suffix](path)
    if not any(not row.is_blank() for row in rows):
        raise TableError(f"“{path.name}”中没有任何表格内容")
    return rows


def _check_office(path: Path, head: bytes, part: str) -> None:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(f"“{path.name}”是旧版 Office 文件或设有打开密码，请去掉密码并另存为 {path.suffix.lower()} 后再导入")
    if not head.startswith(b"PK\x03\x04"):
        raise TableError(f"“{path.name}”不是有效的 {path.suffix.lower()} 文件（内容与扩展名不符，可能是改了扩展名的其他文件）")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError(f"“{path.name}”已损坏，无法打开：请在 Office 或 WPS 中打开后重新保存") from None
    if part not in names:
        actual = next((label for key, label in KIND_NAMES.items() if key in names), None)
        what = f"实际是{actual}" if actual else "不是 Office 文档"
        raise TableError(f"“{path.name}”扩展名是 {path.suffix.lower()}，内容{what}：请改用正确的扩展名或另存后再导入")
    if unzipped > MAX_UNZIPPED_BYTES:
        raise TableError(f"“{path.name}”解压后过大（{unzipped / 1024 / 1024:.0f} MB），不像计划表，已拒绝")
