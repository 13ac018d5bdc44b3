"""`flask --app forms_app create-staff`: make or reset a staff account."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from .database import db
from .models import Staff

MIN_PASSWORD = 10


@click.command("create-staff")
@click.argument("username")
@click.option(
    "--password",
    prompt="密码",
    hide_input=True,
    confirmation_prompt="再次输入密码",
    help="登录密码（不少于 10 个字符）；不给出时交互输入。",
)
@click.option("--reset", is_flag=True, help="用户已存在时重设其密码。")
@click.option("--role", help="角色：province（省级管理员，默认）、city（市级审核员）、expert（评审专家）。")
@click.option("--city", help="市级审核员所在的省辖市，例如 开封市。")
@click.option("--unit", help="所在单位全称；评审专家必填，与申报单位相同时自动回避。")
@with_appcontext
def create_staff(username: str, password: str, reset: bool, role: str | None, city: str | None, unit: str | None) -> None:
    """创建管理员账号（密码以哈希形式保存）。"""
    from .review.accounts import account_problems
    from .review.policy import ROLES

    username = username.strip()
    if not username or len(username) > 64:
        raise click.UsageError("用户名不能为空，且不超过 64 个字符。")
    if len(password) < MIN_PASSWORD:
        raise click.UsageError(f"密码不能少于 {MIN_PASSWORD} 个字符。")
    staff = db.session.scalar(select(Staff).where(Staff.username == username))
    if staff and not reset:
        raise click.UsageError(f"用户 {username} 已存在；如需重设密码，请加 --reset。")
    city, unit = (city or "").strip() or None, (unit or "").strip() or None
    if staff is not None and role is None:  # a reset keeps what it is not told to change
        role, city, unit = staff.role, city or staff.city, unit or staff.unit
    role = (role or "province").strip()
    if problems := account_problems(role, city, unit, current_app.extensions["catalog"].call["province"]):
        raise click.UsageError("\n".join(problems))
    if staff is None:
        staff = Staff(username=username)
        db.session.add(staff)
    staff.role, staff.city, staff.unit = role, city, unit
    staff.password_hash = generate_password_hash(password)
    staff.session_version = (staff.session_version or 0) + 1  # a reset signs the account out everywhere
    db.session.commit()
    where = "，".join(x for x in (city, unit and f"单位：{unit}") if x)
    click.echo(f"已{'重设' if reset and staff.id else '创建'}{ROLES[role]}账号：{username}" + (f"（{where}）" if where else ""))


def init_app(app: Flask) -> None:
    from .briefings.commands import unit_code

    app.cli.add_command(create_staff)
    app.cli.add_command(unit_code)
