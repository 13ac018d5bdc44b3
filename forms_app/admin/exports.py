"""Exports: CSV and Excel of the staff lists and the 简报 compliance board, YAML for data/."""

from __future__ import annotations

import csv
import datetime as dt
import io

import yaml
from flask import Response, current_app, request, send_file
from openpyxl import Workbook
from sqlalchemy import select

from ..catalog import CHINA
from ..database import db
from ..models import APPROVED, Application
from . import bp
from .compliance import compliance_rows
from .queries import applications_query, briefings_query

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def catalog():
    return current_app.extensions["catalog"]


def local(moment) -> str:
    return moment.replace(tzinfo=dt.UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def application_rows(args):
    header = ["受理编号", "状态", "申报方向", "项目名称", "负责人", "负责人身份", "职称职务", "联系电话", "电子邮箱", "单位",
              "参与人数", "项目完成时间", "列入单位重点工作", "盖章PDF", "提交时间"]  # fmt: skip
    names = {d["id"]: f"{d['number']}. {d['name']}" for d in catalog().directions}
    rows = [
        [
            a.receipt_no,
            a.status,
            names.get(a.direction_id, a.direction_id),
            a.project_name,
            a.leader_name,
            a.leader_role,
            a.leader_title,
            a.leader_phone,
            a.leader_email,
            a.unit,
            len(a.participants or []),
            a.completion_date.isoformat(),
            "是" if a.key_work else "否",
            "已上传" if a.current("pdf") else "未上传",
            local(a.created_at),
        ]  # fmt: skip
        for a in db.session.scalars(applications_query(args))
    ]
    return header, rows


def briefing_rows(args):
    header = ["受理编号", "项目编号", "项目名称", "省份", "承训单位", "期数", "标题", "简报日期", "上传时间"]
    rows = [
        [b.receipt_no, b.project_id, b.project_name, b.province, b.unit, b.issue_no, b.title, b.issued_on.isoformat(), local(b.created_at)]
        for b in db.session.scalars(briefings_query(args))
    ]
    return header, rows


def safe_cell(value):
    """Keep spreadsheet programs from running a typed value as a formula (CSV injection)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


@bp.get("/export/<kind>.<fmt>")
def export(kind: str, fmt: str):
    """Download the filtered applications, briefings or compliance board as CSV or Excel."""
    builders = {
        "applications": (application_rows, "申报"),
        "briefings": (briefing_rows, "工作简报"),
        "compliance": (compliance_rows, "简报报送情况"),
    }
    if kind not in builders or fmt not in ("csv", "xlsx"):
        return Response("不支持的导出格式。", 404, mimetype="text/plain")
    build, title = builders[kind]
    header, rows = build(request.args)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([[safe_cell(v) for v in row] for row in rows])
        # A byte order mark makes Excel read the CSV as UTF-8.
        return send_file(io.BytesIO(("\ufeff" + out.getvalue()).encode("utf-8")), as_attachment=True,
                         download_name=f"{kind}.csv", mimetype="text/csv")  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name=f"{kind}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


@bp.get("/export/approved.yaml")
def approved_yaml():
    """The 立项 applications as YAML records to paste into data/ in a pull request."""
    records = []
    for a in db.session.scalars(select(Application).where(Application.status == APPROVED).order_by(Application.id)):
        direction = catalog().direction(a.direction_id) or {}
        records.append({
            "id": f"{a.call_id}-{a.receipt_no.lower()}",
            "call": a.call_id,
            "direction": a.direction_id,
            "name": a.project_name,
            "leader": a.leader_name,
            "leader_title": a.leader_title,
            "unit": a.unit,
            "completion": a.completion_date,
            "funding": direction.get("funding"),
            "receipt_no": a.receipt_no,
        })  # fmt: skip
    header = f"# 出彩项目立项名单：{catalog().call['title']}（由管理后台导出，共 {len(records)} 项）\n"
    body = yaml.safe_dump(records, allow_unicode=True, sort_keys=False) if records else "[]\n"
    return Response(
        header + body, mimetype="text/yaml; charset=utf-8", headers={"Content-Disposition": "attachment; filename=approved.yaml"}
    )
