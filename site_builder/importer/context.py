"""What an import needs from the data folder: the document, institutions, counties, ids in use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..dataset import Dataset, load_dataset
from ..validate import FATAL_CODES
from .grid import TableError

# ISO 3166-2:CN letters, the prefix the existing ids use (jx2022-001, ha-2021-xmx, sx-2024-ydy).
PROVINCE_CODES = {
    "北京市": "bj", "天津市": "tj", "河北省": "he", "山西省": "sx", "内蒙古自治区": "nm", "辽宁省": "ln",
    "吉林省": "jl", "黑龙江省": "hl", "上海市": "sh", "江苏省": "js", "浙江省": "zj", "安徽省": "ah",
    "福建省": "fj", "江西省": "jx", "山东省": "sd", "河南省": "ha", "湖北省": "hb", "湖南省": "hn",
    "广东省": "gd", "广西壮族自治区": "gx", "海南省": "hi", "重庆市": "cq", "四川省": "sc", "贵州省": "gz",
    "云南省": "yn", "西藏自治区": "xz", "陕西省": "sn", "甘肃省": "gs", "青海省": "qh", "宁夏回族自治区": "nx",
    "新疆维吾尔自治区": "xj", "新疆生产建设兵团": "bt",
}  # fmt: skip


@dataclass
class Context:
    """The document a table comes from, with the records the import resolves names against."""

    dataset: Dataset
    document: dict
    province: str
    year: int
    code: str  # the province's letters for ids

    def ids_in_use(self, resource: str) -> set[str]:
        return {str(r.get("id")) for r in self.dataset.get(resource)}

    def next_number(self, prefix: str) -> int:
        """One past the highest number after `prefix` in the project ids in use."""
        pattern = re.compile(re.escape(prefix) + r"(\d+)$")
        numbers = [int(m.group(1)) for i in self.ids_in_use("projects") if (m := pattern.match(i))]
        return max(numbers, default=0) + 1

    def counties(self) -> list[dict]:
        return [r for r in self.dataset.get("counties") if r.get("province") == self.province]


def load_context(data_dir: Path, document_id: str) -> Context:
    """The document's province and year, or TableError saying what is missing."""
    if not (Path(data_dir) / "datapackage.yaml").is_file():
        raise TableError(f"数据目录 {data_dir} 中没有 datapackage.yaml：请在项目根目录运行，或用 --data 指定数据目录")
    dataset, problems = load_dataset(Path(data_dir))
    fatal = [p for p in problems if p.code in FATAL_CODES]
    if fatal:
        raise TableError("数据目录无法读取，请先修正：\n" + "\n".join(p.text() for p in fatal[:5]))
    documents = dataset.index("documents")
    document = documents.get(document_id)
    if document is None:
        known = "、".join(sorted(str(k) for k in documents)[:12])
        raise TableError(f"找不到文件编号“{document_id}”：请先在 data/documents.yaml 中登记该通知。已有：{known}")
    province, year = document.get("province"), document.get("year")
    code = PROVINCE_CODES.get(str(province))
    if code is None:
        raise TableError(f"文件 {document_id} 的省份是“{province}”，不是省级行政区，无法据此导入省级项目")
    if not isinstance(year, int):
        raise TableError(f"文件 {document_id} 没有有效的年度（year），请先在 data/documents.yaml 中补全")
    return Context(dataset, dict(document), str(province), year, code)
