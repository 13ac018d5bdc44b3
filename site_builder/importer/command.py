"""The `import` command: a table in, a YAML file of records and a Chinese report out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import county_lists, projects
from .context import load_context
from .grid import TableError
from .headers import COUNTY_LIST_HEADERS, PROJECT_HEADERS, find_header
from .outcome import Outcome
from .output import report_text, yaml_text
from .readers import read_rows

KINDS = {
    # kind → (header synonyms, the column a header must name, builder)
    "projects": (PROJECT_HEADERS, "name", projects.build),
    "county_lists": (COUNTY_LIST_HEADERS, "counties", county_lists.build),
}


def import_table(table: Path, document_id: str, data_dir: Path, kind: str = "projects") -> tuple[Outcome, str]:
    """Read `table` and build records for `document_id`; the YAML text to write. TableError if impossible."""
    rows = read_rows(table)
    ctx = load_context(data_dir, document_id)
    synonyms, key_field, builder = KINDS[kind]
    header = find_header(rows, synonyms, key_field, 2, table.name)
    outcome = builder(rows, header, ctx, table.name)
    if not outcome.built and not outcome.unmapped:
        raise TableError(f"“{table.name}”在表头（{header.where}）之后没有数据行")
    return outcome, yaml_text(outcome, ctx.dataset)


@click.command("import")
@click.argument("table", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--document", "document_id", required=True, help="表格所属通知在 data/documents.yaml 中的编号，例如 jx-2022-14。")
@click.option(
    "--output", required=True, type=click.Path(path_type=Path, dir_okay=False), help="写出记录的 YAML 文件（不能是 data/ 中的文件）。"
)
@click.option(
    "--kind",
    type=click.Choice(sorted(KINDS)),
    default="projects",
    show_default=True,
    help="projects：项目计划表；county_lists：项目县名单表。",
)
@click.option(
    "--data", "data_dir", default="data", show_default=True, type=click.Path(path_type=Path), help="数据目录（含 datapackage.yaml）。"
)
@click.option("--overwrite", is_flag=True, help="输出文件已存在时覆盖它。")
def import_command(table: Path, document_id: str, output: Path, kind: str, data_dir: Path, overwrite: bool) -> None:
    """把通知附件中的计划表（.xlsx、.docx、.csv）导入为数据记录；退出码 0 全部对应，1 有须人工核对的行，2 无法导入。"""
    try:
        _check_output(output, data_dir, overwrite)
        outcome, text = import_table(table, document_id, data_dir, kind)
        output.write_text(text, encoding="utf-8")
    except TableError as exc:
        click.echo(f"无法导入：{exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"无法导入：读写文件出错（{exc.strerror or exc}）：{exc.filename or ''}", err=True)
        sys.exit(2)
    click.echo(report_text(outcome, str(output)))
    sys.exit(outcome.exit_code)


def _check_output(output: Path, data_dir: Path, overwrite: bool) -> None:
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise TableError(f"输出文件“{output}”应以 .yaml 结尾")
    if Path(data_dir).resolve() in output.resolve().parents:
        raise TableError(f"不能直接写入数据目录中的“{output}”：请先写到别处，核对后再并入 {data_dir}/")
    if output.exists() and not overwrite:
        raise TableError(f"输出文件“{output}”已存在：换一个文件名，或加 --overwrite 覆盖")
