"""Command line: `python -m site_builder validate|build|serve`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from .data_diff import diff_against, format_markdown
from .field_docs import field_reference, load_descriptor
from .importer.command import import_command
from .preview.cli import preview as preview_command
from .problems import format_github, format_json, format_text, has_errors
from .validate import validate as run_validation
from .yaml_records import MAX_FILE_BYTES

FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


@click.group()
def cli() -> None:
    """国培计划信息门户：数据校验与网站构建。"""


cli.add_command(import_command)
cli.add_command(preview_command)


@cli.command()
@click.option(
    "--data", "data_dir", default="data", show_default=True, type=click.Path(path_type=Path), help="数据目录（含 datapackage.yaml）。"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="输出格式：text 供人阅读，github 为 CI 注释，json 供工具读取。",
)
@click.option(
    "--max-file-mb",
    default=MAX_FILE_BYTES // 1024 // 1024,
    show_default=True,
    type=click.IntRange(1, 1024),
    help="单个数据文件的大小上限（MB）。",
)
def validate(data_dir: Path, fmt: str, max_file_mb: int) -> None:
    """校验数据：有错误时退出码为 1。"""
    _, problems = run_validation(data_dir, max_file_mb * 1024 * 1024)
    click.echo(FORMATTERS[fmt](problems))
    sys.exit(1 if has_errors(problems) else 0)


@cli.command()
@click.option(
    "--data", "data_dir", default="data", show_default=True, type=click.Path(path_type=Path), help="数据目录（含 datapackage.yaml）。"
)
def fields(data_dir: Path) -> None:
    """以 Markdown 表格列出每个数据文件的全部字段（供员工指南使用）。"""
    click.echo(field_reference(load_descriptor(data_dir)))


@cli.command()
@click.option(
    "--data", "data_dir", default="data", show_default=True, type=click.Path(path_type=Path), help="数据目录（含 datapackage.yaml）。"
)
@click.option("--base", "ref", default="HEAD", show_default=True, help="对比的 git 版本，例如 origin/main。")
def diff(data_dir: Path, ref: str) -> None:
    """汇总数据相对某个 git 版本的变化（新增、删除、修改的记录），供审阅合并请求。"""
    try:
        changes = diff_against(ref, data_dir)
    except subprocess.CalledProcessError:
        raise click.ClickException(f"无法读取 git 版本 {ref}：请在 git 仓库中运行，并确认该版本存在。") from None
    click.echo(format_markdown(changes, ref))


def main() -> None:
    cli(prog_name="python -m site_builder")
