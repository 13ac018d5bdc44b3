"""Exports: CSV and Excel of the staff lists and the 简报 compliance board, YAML for data/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata

import yaml
from flask import Response, current_app, request, send_file
from openpyxl import Workbook
from sqlalchemy import select

from ..catalog import CHINA
from ..database import db
from ..models import Application
from . import bp
from .compliance import compliance_rows
from .queries import applications_query, briefings_query

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
APPROVED = "立项"  # the one status the results export relies on


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


# call_projects.yaml fields in schema order; a record never carries a phone or an e-mail.
RESULT_FIELDS = ("id", "call", "direction", "name", "leader", "leader_title", "unit", "funding", "due", "state", "finished", "note")
RESULTS_HEADER = """\
# 出彩项目立项名单（data/call_projects.yaml），由管理后台“导出立项项目（YAML）”生成：
# 文件中原有的记录原样保留，本批申报中状态为“立项”且尚未录入的申报按受理顺序追加在后。
# 用本文件替换 data/call_projects.yaml，运行 python -m site_builder validate 后提交合并请求；
# 公示和公布日期填在 data/calls.yaml 的 publicity_start、publicity_end、announced。
"""


def _clean(text) -> str:
    """One line of printable text: controls, invisible and non-characters dropped, runs of spaces made one."""
    kept = "".join(ch for ch in str(text or "") if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    return re.sub(r"\s+", " ", kept).strip()


def result_record(application, direction: dict) -> dict:
    """The call_projects record of a 立项 application: its id is the call's and the application's, so it never changes."""
    record = {
        "id": f"{application.call_id}-{application.id:05d}",
        "call": application.call_id,
        "direction": application.direction_id,
        "name": _clean(application.project_name),
        "leader": _clean(application.leader_name),
        "leader_title": _clean(application.leader_title),
        "unit": _clean(application.unit),
        "funding": direction.get("funding"),
        "due": direction.get("due"),
        "state": "在研",
    }
    return {k: v for k, v in record.items() if v not in (None, "")}


def call_projects_yaml(catalog, approved: list) -> str:
    """The whole call_projects.yaml: the data's records as they are, then the 立项 applications not yet in it."""
    records = [{k: r[k] for k in RESULT_FIELDS if r.get(k) not in (None, "")} for r in catalog.call_projects]
    known = {r["id"] for r in records}
    for application in approved:
        direction = catalog.direction(application.direction_id)
        if direction is None:
            continue  # not this call's direction: nothing valid to publish
        record = result_record(application, direction)
        if record["id"] not in known:
            records.append(record)
    body = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=4096) if records else "[]\n"
    return RESULTS_HEADER + body


@bp.get("/export/approved.yaml")
def approved_yaml():
    """data/call_projects.yaml with this call's 立项 applications added, to replace the file in a pull request."""
    approved = db.session.scalars(
        select(Application).where(Application.status == APPROVED, Application.call_id == catalog().call["id"]).order_by(Application.id)
    )
    return Response(
        call_projects_yaml(catalog(), list(approved)),
        mimetype="text/yaml; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=call_projects.yaml"},
    )
