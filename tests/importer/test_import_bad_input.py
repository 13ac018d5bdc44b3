"""Every way an import cannot start ends with exit code 2 and one clear Chinese sentence, never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import docx
import pytest
from click.testing import CliRunner
from office_tables import ROOT
from openpyxl import Workbook

from site_builder.cli import cli

CSV = "项目名称,人数,实施范围\n乡村教师培训,300,全省\n"


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["项目名称", "人数"])
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes(with_table: bool = True) -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("计划表见下")
    if with_table:
        document.add_table(rows=1, cols=2).rows[0].cells[0].text = "无关内容"
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A workbook-looking zip of 210 MB unzipped, written in chunks so the test itself stays small."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<a/>")
        with archive.open("pad.xml", "w", force_zip64=True) as handle:
            for _ in range(210):
                handle.write(b"0" * 1024 * 1024)
    return buffer.getvalue()


# name → (file name, content or a function making it, words the message must contain)
CASES = {
    "wrong-extension": ("计划表.pdf", b"%PDF-1.7", "不支持的文件类型“.pdf”"),
    "no-extension": ("计划表", CSV.encode(), "不支持的文件类型“（无扩展名）”"),
    "old-xls": ("计划表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "另存为” .xlsx"),
    "old-doc": ("计划表.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "另存为” .docx"),
    "empty-xlsx": ("计划表.xlsx", b"", "文件是空的"),
    "empty-csv": ("计划表.csv", b"", "文件是空的"),
    "blank-csv": ("计划表.csv", "\ufeff\n \n,,\n".encode(), "没有任何表格内容"),
    "bom-only-csv": ("计划表.csv", b"\xef\xbb\xbf", "文件是空的"),
    "png-as-xlsx": ("计划表.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "内容与扩展名不符"),
    "text-as-xlsx": ("计划表.xlsx", CSV.encode(), "内容与扩展名不符"),
    "docx-as-xlsx": ("计划表.xlsx", docx_bytes(), "实际是Word 文档（.docx）"),
    "xlsx-as-docx": ("计划表.docx", xlsx_bytes(), "实际是Excel 表格（.xlsx）"),
    "zip-as-docx": ("计划表.docx", zip_bytes({"a.txt": b"x"}), "不是 Office 文档"),
    "xlsx-as-csv": ("计划表.csv", xlsx_bytes(), "内容却不是文本表格"),
    "encrypted-xlsx": ("计划表.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "设有打开密码"),
    "truncated-xlsx": ("计划表.xlsx", xlsx_bytes()[:300], "已损坏"),
    "broken-workbook": (
        "计划表.xlsx",
        zip_bytes({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<not xml"}),
        "无法作为 Excel 表格读取",
    ),
    "broken-document": ("计划表.docx", zip_bytes({"[Content_Types].xml": b"<x", "word/document.xml": b"<w"}), "无法作为 Word 文档读取"),
    "docx-without-tables": ("计划表.docx", docx_bytes(with_table=False), "没有表格"),
    "binary-csv": ("计划表.csv", bytes(range(128, 256)) * 4, "文字编码无法识别"),
    "no-header": ("计划表.csv", "甲,乙,丙\n1,2,3\n".encode(), "找不到表头"),
    "header-only": ("计划表.csv", "序号,项目名称,人数,实施范围\n,,,\n".encode(), "没有数据行"),
    "docx-unrelated-table": ("计划表.docx", docx_bytes(), "找不到表头"),
    "huge-field": ("计划表.csv", ('项目名称,人数\n"' + "长" * 200_000 + '",1\n').encode(), "无法按 CSV 读取"),
    "zip-bomb": ("计划表.xlsx", zip_bomb, "解压后过大"),
}


def run(args: list[str]):
    # catch_exceptions=False: a traceback fails the test instead of hiding in the result.
    return CliRunner().invoke(cli, ["import", *args], catch_exceptions=False)


def assert_refused(result, words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "无法导入：" in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_files_are_refused_in_chinese(case, tmp_path):
    name, content, words = CASES[case]
    table = tmp_path / name
    table.write_bytes(content() if callable(content) else content)
    out = tmp_path / "out.yaml"
    assert_refused(run([str(table), "--document", "jx-2022-14", "--output", str(out)]), words)
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--document", "no-such-doc"], "找不到文件编号“no-such-doc”"),
        (["--document", "moe-2021-4"], "不是省级行政区"),
        (["--document", "jx-2022-14", "--data", "/nonexistent"], "没有 datapackage.yaml"),
        (["--document", "jx-2022-14", "--output", "data/new.yaml"], "不能直接写入数据目录"),
        (["--document", "jx-2022-14", "--output", "out.txt"], "应以 .yaml 结尾"),
    ],
)
def test_bad_arguments_are_refused_in_chinese(args, words, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    table = tmp_path / "表.csv"
    table.write_text(CSV, encoding="utf-8")
    if "--output" not in args:
        args = [*args, "--output", str(tmp_path / "out.yaml")]
    assert_refused(run([str(table), *args]), words)


def test_missing_table_and_existing_output(tmp_path):
    out = tmp_path / "out.yaml"
    assert_refused(run([str(tmp_path / "无.csv"), "--document", "jx-2022-14", "--output", str(out)]), "找不到文件")
    table = tmp_path / "表.csv"
    table.write_text(CSV, encoding="utf-8")
    out.write_text("# 人工改过的记录\n", encoding="utf-8")
    assert_refused(run([str(table), "--document", "jx-2022-14", "--output", str(out)]), "已存在")
    assert out.read_text(encoding="utf-8") == "# 人工改过的记录\n"
    assert run([str(table), "--document", "jx-2022-14", "--output", str(out), "--overwrite"]).exit_code == 0


def test_broken_data_folder_is_named(tmp_path, data_copy):
    (data_copy / "institutions.yaml").write_text("- name: [未闭合\n", encoding="utf-8")
    table = tmp_path / "表.csv"
    table.write_text(CSV, encoding="utf-8")
    result = run([str(table), "--document", "jx-2022-14", "--output", str(tmp_path / "o.yaml"), "--data", str(data_copy)])
    assert_refused(result, "数据目录无法读取")
    assert "institutions.yaml:1" in result.stderr


def test_refusal_in_a_real_process(tmp_path):
    table = tmp_path / "计划表.xlsx"
    table.write_bytes(b"not a workbook")
    cmd = [sys.executable, "-m", "site_builder", "import", str(table), "--document", "jx-2022-14", "--output", str(tmp_path / "o.yaml")]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("无法导入：") and "Traceback" not in done.stderr
