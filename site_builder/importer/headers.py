"""Find the header row of a table and map its columns to fields by meaning."""

from __future__ import annotations

from dataclasses import dataclass

from .grid import Row, TableError, header_key

# Header texts (after dropping spaces, line breaks and bracketed units) that mean each field.
# Exact matches win; otherwise the longest synonym contained in the header.
PROJECT_HEADERS = {
    "name": ["项目名称", "培训项目名称", "培训项目", "项目", "子项目名称", "项目名"],
    "target": ["培训对象", "参训对象", "对象", "培训人员", "学员对象", "参训人员"],
    "mode": ["培训方式", "培训形式", "研修方式", "实施方式", "组织形式", "方式", "形式"],
    "duration": ["培训时长", "时长", "培训时间", "培训天数", "学时", "研修时长"],
    "participants": ["人数", "培训人数", "计划人数", "计划培训人数", "参训人数", "名额", "培训规模", "规模"],
    "scope": ["实施范围", "实施区域", "覆盖范围", "实施地区", "实施县", "范围", "项目县"],
    "institution": [
        "中标单位",
        "承训单位",
        "承办单位",
        "培训机构",
        "实施单位",
        "中标机构",
        "培训单位",
        "承担单位",
        "成交单位",
        "中标供应商",
    ],
    "category": ["项目类别", "类别"],
    "note": ["备注", "说明"],
}
COUNTY_LIST_HEADERS = {
    "type": ["名单类型", "项目县类型", "类型", "类别", "项目类别"],
    "city": ["设区市", "设区的市", "所属地市", "地市", "市州", "地区", "市"],
    "counties": ["县", "县名", "县区", "县市区", "名单", "项目县", "项目县名单", "县名称", "名称"],
    "count": ["数量", "个数", "县数"],
}
IGNORED = {"序号", "编号", "序", "No.", "NO", "no"}


@dataclass
class Header:
    """Where the header is and which column holds which field."""

    index: int  # position in the grid
    columns: dict[str, int]  # field → column
    labels: dict[str, str]  # field → the header text as the file has it
    ignored: list[str]  # header texts that mean no field (序号 is expected and not listed)
    synonyms: dict[str, list[str]]
    where: str = ""

    def repeated_by(self, row: Row) -> bool:
        """Whether `row` repeats this header (Word and Excel repeat it at page breaks)."""
        return _columns(row, self.synonyms)[0] == self.columns


def field_for(text: str, synonyms: dict[str, list[str]]) -> str | None:
    key = header_key(text)
    if not key:
        return None
    for field, words in synonyms.items():
        if key in words:
            return field
    best = max(((len(w), f) for f, words in synonyms.items() for w in words if len(w) >= 2 and w in key), default=None)
    return best[1] if best else None


def _columns(row: Row, synonyms: dict[str, list[str]]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored = []
    for i, text in enumerate(row.cells):
        if not text.strip():
            continue
        field = field_for(text, synonyms)
        if field and field not in columns:
            columns[field] = i
        elif header_key(text) not in IGNORED:
            ignored.append(" ".join(text.split()))
    return columns, ignored


def find_header(rows: list[Row], synonyms: dict[str, list[str]], key_field: str, needed: int, file_name: str) -> Header:
    """The first row naming `key_field` and at least `needed` fields in all."""
    for index, row in enumerate(rows):
        if row.is_blank() or len({c.strip() for c in row.cells if c.strip()}) < needed:
            continue  # a title merged across the width repeats one text
        columns, ignored = _columns(row, synonyms)
        if key_field in columns and len(columns) >= needed:
            labels = {f: " ".join(row.cells[i].split()) for f, i in columns.items()}
            return Header(index, columns, labels, ignored, synonyms, row.where)
    wanted = "、".join(synonyms[key_field][:2])
    raise TableError(
        f"“{file_name}”中找不到表头：须有一行写明“{wanted}”等列名"
        f"（例如 {'、'.join(words[0] for words in synonyms.values())}），请检查是否选对了文件或工作表"
    )
