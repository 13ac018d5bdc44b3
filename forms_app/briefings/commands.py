"""`flask --app forms_app unit-code`: issue, list and revoke the 承训单位's upload codes."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..web import cn_time
from . import codes

ISSUER = "命令行"


def canonical(name: str) -> str:
    """The data's name of the 承训单位 `name`; a usage error, with the right name if it is an alias."""
    institutions = current_app.extensions["catalog"].institutions
    name = name.strip()
    if name in institutions:
        return name
    for canonical_name, aliases in institutions.items():
        if name in aliases:
            raise click.UsageError(f"“{name}”是别名，请使用数据中的规范名称：{canonical_name}")
    raise click.UsageError(f"数据（data/institutions.yaml）中没有承训单位“{name}”。")


@click.command("unit-code")
@click.argument("institution", required=False)
@click.option("--all-missing", is_flag=True, help="为所有尚无有效上传码的承训单位各生成一个上传码。")
@click.option("--revoke", is_flag=True, help="停用该单位的上传码（已登录的会话随即失效）。")
@click.option("--list", "listing", is_flag=True, help="列出各承训单位上传码的状态（不显示上传码）。")
@with_appcontext
def unit_code(institution: str | None, all_missing: bool, revoke: bool, listing: bool) -> None:
    """为承训单位生成（或重新生成）工作简报上传码。

    上传码只在此时显示一次，数据库只保存其 SHA-256 摘要；重新生成后旧码立即失效。
    """
    if sum(map(bool, (institution, all_missing, listing))) != 1:
        raise click.UsageError("请给出一个承训单位名称，或使用 --all-missing、--list 之一。")
    existing = codes.all_codes()
    if listing:
        for name in current_app.extensions["catalog"].institutions:
            row = existing.get(name)
            state = (
                "未发放" if row is None else "已停用" if row.code_hash is None else f"已发放 {cn_time(row.issued_at)}（{row.issued_by}）"
            )
            click.echo(f"{name}\t{state}")
        return
    if all_missing:
        names = [n for n in current_app.extensions["catalog"].institutions if not (n in existing and existing[n].code_hash)]
        for name in names:
            click.echo(f"{name}\t{codes.issue(name, ISSUER)}")
        click.echo(f"已为 {len(names)} 个承训单位生成上传码。请分别告知各单位，本输出不要保存在共享位置。", err=True)
        return
    name = canonical(institution)
    if revoke:
        click.echo(f"已停用 {name} 的上传码。" if codes.revoke(name) else f"{name} 没有有效的上传码。")
        return
    replaced = name in existing and existing[name].code_hash is not None
    click.echo(f"{name}\t{codes.issue(name, ISSUER)}")
    click.echo("已生成上传码" + ("，旧码已作废。" if replaced else "。") + "上传码只显示这一次。", err=True)
