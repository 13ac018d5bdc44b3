"""工作简报 upload: project from data, fields, duplicates, receipt and replacement."""

from __future__ import annotations

import pytest
from form_inputs import ELF, PDF, PNG, upload

GOOD = {"project_id": "jx2022-002", "unit": "北京继教网", "issue_no": "1", "title": "第一期简报", "issued_on": "2024-04-01"}


def send(client, **overrides):
    data = {**GOOD, "file": upload(PDF, "简报.pdf"), **overrides}
    return client.post("/briefings/", data, token_from="/briefings/")


def test_upload_and_receipt(client):
    response = send(client)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "JB-000001" in page and "第 1 期" in page and "按要求不少于 3 期" in page
    assert client.get(response.headers["Location"] + "/file").data == PDF


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("project_id", "", "请从列表中选择项目"),
        ("project_id", "no-such-project", "所选项目不在项目数据中"),
        ("unit", "", "请填写承训单位名称"),
        ("issue_no", "0", "期数请填写 1 到 99"),
        ("issue_no", "三", "期数请填写 1 到 99"),
        ("title", "", "请填写简报标题"),
        ("title", "标" * 201, "不能超过 200 个字符"),
        ("issued_on", "", "请填写简报日期"),
        ("issued_on", "2024-05-01", "不能晚于今天"),
        ("file", (ELF, "简报.pdf"), "文件内容不是PDF、Word 文档或图片"),
        ("file", (b"", ""), "请选择简报文件"),
    ],
)
def test_bad_input_is_refused(client, field, value, message):
    value = upload(*value) if isinstance(value, tuple) else value
    response = send(client, **{field: value})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_duplicate_issue_refused_with_way_to_replace(client, app):
    first = send(client)
    response = send(client, title="重复")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 1 期简报已于" in page and "回执页的链接" in page
    receipt = first.headers["Location"]
    replaced = client.post(receipt + "/file", {"file": upload(PNG, "新.png")}, token_from=receipt)
    assert replaced.status_code == 303 and client.get(receipt + "/file").data == PNG
    assert client.post(receipt + "/file", {"file": upload(ELF, "x.png")}, token_from=receipt).status_code == 422
    assert send(client, project_id="jx2022-001").status_code == 303  # same 期, other project


def test_project_search_json_and_no_js_find(client):
    found = client.get("/briefings/projects.json?q=振兴").get_json()
    assert [p["id"] for p in found] == ["jx2022-002"] and found[0]["institution"].startswith("北京继教网")
    assert client.get("/briefings/projects.json?q=没有这个").get_json() == []
    page = client.post("/briefings/", {"q": "骨干", "find": "1"}, token_from="/briefings/").get_data(as_text=True)
    assert "jx2022-003" in page and "jx2022-002" not in page and 'class="error"' not in page
