"""The corpus of broken data files the validator must explain, never crash on.

Each case edits one file of tests/fixtures/minimal and states the exit code, the
`file:line` and a piece of the Chinese message that the CLI must print. Files that
cannot be read as YAML at all are in bad_yaml_inputs.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    edits: tuple = ()  # (old, new) text replacements, each must match once
    content: bytes | str | None = None  # or the whole new file
    exit: int = 1
    line: int | None = None  # None: the problem names the file only
    message: str = ""
    extra: tuple = field(default_factory=tuple)  # further substrings expected


CASES = [
    # --- records of the wrong shape ------------------------------------------------
    Case(
        "duplicate-key",
        "projects.yaml",
        (("  participants: 360\n", "  participants: 360\n  participants: 100\n"),),
        line=14,
        message="字段重复（首次出现在第 13 行）",
    ),
    Case(
        "item-not-mapping",
        "projects.yaml",
        (("  document: jx-2022-14\n- id: jx2022-002", "  document: jx-2022-14\n- 只有一句话\n- id: jx2022-002"),),
        line=17,
        message="列表项应为一条记录",
    ),
    Case("nested-mapping", "projects.yaml", (("  mode: 两年递进式混合研修", "  mode: {方式: 混合}"),), line=9, message="不能是嵌套的映射"),
    Case("nested-list", "projects.yaml", (("counties: [乐平市, 南康区]", "counties: [乐平市, [南康区]]"),), line=29, message="不能再嵌套"),
    Case(
        "unknown-field",
        "projects.yaml",
        (("  participants: 360\n", "  participants: 360\n  particpants: 5\n"),),
        line=14,
        message="不是该文件的字段",
        extra=("是否为 “participants”",),
    ),
    Case("blank-record", "guidance.yaml", (("- id: zx-2-1", "- {}\n- id: zx-2-1"),), line=1, message="空记录"),
    # --- types and constraints -------------------------------------------------------
    Case("int-as-text", "projects.yaml", (("participants: 360", "participants: 三百六十"),), line=13, message="类型不对，应为整数"),
    Case("int-as-float", "projects.yaml", (("participants: 360", "participants: 360.5"),), line=13, message="应为整数"),
    Case("negative", "projects.yaml", (("participants: 360", "participants: -5"),), line=13, message="不能小于 1"),
    Case("bool-as-text", "projects.yaml", (("  name: 乡村中小学优秀教师高级研修", "  name: yes"),), line=7, message="应为文本"),
    Case(
        "missing-required",
        "projects.yaml",
        (("  name: 乡村中小学优秀教师高级研修\n", ""),),
        line=1,
        message="必填字段缺失",
        extra=("字段 name",),
    ),
    Case(
        "missing-document",
        "projects.yaml",
        (("  document: jx-2022-14\n- id: jx2022-002", "- id: jx2022-002"),),
        line=1,
        message="字段 document: 必填字段缺失",
    ),
    Case("duplicate-id", "projects.yaml", (("- id: jx2022-002", "- id: jx2022-001"),), line=17, message="重复：与第 1 行的记录相同"),
    Case("bad-id-pattern", "projects.yaml", (("- id: jx2022-001", "- id: JX2022-1"),), line=1, message="格式不对"),
    Case("enum", "projects.yaml", (("  scope: 全省\n", "  scope: 全市\n"),), line=14, message="不是允许的取值", extra=("可选值",)),
    Case(
        "enum-suggestion",
        "projects.yaml",
        (
            (
                "  programme: 国培计划\n  track: 中西部骨干项目\n  category: 农村",
                "  programme: 国培\n  track: 中西部骨干项目\n  category: 农村",
            ),
        ),
        line=4,
        message="是否为 “国培计划”",
    ),
    Case("bad-date", "calls.yaml", (("deadline: 2024-04-30", "deadline: 2024-13-45"),), line=5, message="应为日期"),
    Case("date-as-text", "calls.yaml", (("deadline: 2024-04-30", "deadline: 四月底"),), line=5, message="应为日期"),
    Case("list-as-text", "projects.yaml", (("counties: [乐平市, 南康区]", "counties: 南康区"),), line=29, message="应为列表"),
    Case("code-pattern", "counties.yaml", (('code: "360827"', 'code: "36082"'),), line=10, message="格式不对"),
    # --- references ---------------------------------------------------------------------
    Case(
        "county-former-name",
        "projects.yaml",
        (("counties: [乐平市, 南康区]", "counties: [乐平市, 南康县]"),),
        line=29,
        message="字段 counties: “南康县” 不在 counties 中，是否为 “南康区”？",
    ),
    Case(
        "county-other-province",
        "projects.yaml",
        (("counties: [乐平市, 南康区]", "counties: [乐平市, 新县]"),),
        line=29,
        message="属于 河南省",
    ),
    Case(
        "county-unknown", "county_lists.yaml", (("counties: [南康区]", "counties: [火星县]"),), line=13, message="“火星县” 不在 counties 中"
    ),
    Case("county-duplicate", "projects.yaml", (("counties: [乐平市, 南康区]", "counties: [南康区, 南康区]"),), line=29, message="重复出现"),
    Case(
        "institution-alias",
        "projects.yaml",
        (("institution: 北京继教网教育科技发展有限公司", "institution: 北京继教网教育科技有限公司"),),
        line=30,
        message="不在 institutions",
        extra=("是否为 “北京继教网教育科技发展有限公司”", "别名"),
    ),
    Case(
        "institution-typo",
        "projects.yaml",
        (("institution: 江西师范大学", "institution: 江西师范大"),),
        line=15,
        message="不在 institutions",
        extra=("是否为 “江西师范大学”",),
    ),
    Case(
        "document-unknown",
        "projects.yaml",
        (("  document: jx-2022-14\n- id: jx2022-003", "  document: jx-2022-99\n- id: jx2022-003"),),
        line=31,
        message="不在 documents",
    ),
    Case(
        "province-short",
        "projects.yaml",
        (
            (
                "  province: 江西省\n  programme: 国培计划\n  track: 中西部骨干项目\n  category: 农村",
                "  province: 江西\n  programme: 国培计划\n  track: 中西部骨干项目\n  category: 农村",
            ),
        ),
        line=3,
        message="不是省级行政区的规范全称",
        extra=("是否为 “江西省”",),
    ),
    Case(
        "alias-is-canonical",
        "institutions.yaml",
        (("aliases: [北京继教网教育科技有限公司]", "aliases: [江西师范大学]"),),
        line=4,
        message="同时是另一家承训单位的规范名称",
    ),
    Case("county-code-mismatch", "counties.yaml", (('code: "360827"', 'code: "360828"'),), line=10, message="对应的是"),
    Case("county-not-official", "counties.yaml", (("  level: 功能区", "  level: 县"),), line=18, message="不是现行县级行政区名称"),
    # --- programme rules ----------------------------------------------------------------
    Case(
        "named-scope-without-counties",
        "projects.yaml",
        (("  counties: [乐平市, 南康区]\n", ""),),
        line=28,
        message="须在 counties 中列出各县",
    ),
    Case(
        "counties-with-province-scope",
        "projects.yaml",
        (("  scope: 全省\n", "  scope: 全省\n  counties: [南康区]\n"),),
        line=15,
        message="不应再列县",
    ),
    Case(
        "duration-mismatch",
        "projects.yaml",
        (("  offline_days: 7\n", "  offline_days: 8\n"),),
        line=11,
        message="与培训时长原文",
        extra=("原文合计为 7 天",),
    ),
    Case(
        "duration-missing-figure",
        "projects.yaml",
        (("  online_hours: 50\n  participants: 360", "  participants: 360"),),
        line=1,
        message="未填写，培训时长原文含 50 学时",
    ),
    Case(
        "year-outside-plan",
        "projects.yaml",
        (
            (
                "  year: 2022\n  province: 江西省\n  programme: 国培计划\n  track: 中西部骨干项目\n  category: 农村",
                "  year: 2019\n  province: 江西省\n  programme: 国培计划\n  track: 中西部骨干项目\n  category: 农村",
            ),
        ),
        line=2,
        message="不在国培计划规划期 2021—2025 年内",
    ),
    Case(
        "year-vs-document",
        "projects.yaml",
        (
            (
                "  year: 2022\n  province: 江西省\n  programme: 国培计划\n  name: 乡村中小学紧缺",
                "  year: 2023\n  province: 江西省\n  programme: 国培计划\n  name: 乡村中小学紧缺",
            ),
        ),
        line=33,
        message="与来源文件 jx-2022-14 的年度 2022 不符",
    ),
    Case("deadline-before-opens", "calls.yaml", (("deadline: 2024-04-30", "deadline: 2024-04-01"),), line=5, message="早于开始日期"),
    Case("due-before-deadline", "call_directions.yaml", (("due: 2025-12-31", "due: 2024-01-01"),), line=8, message="不晚于申报截止日期"),
    Case(
        "published-before-date",
        "documents.yaml",
        (("  published: 2024-04-15", "  published: 2024-04-01"),),
        line=15,
        message="早于成文日期",
    ),
    Case(
        "training-end-before-start",
        "projects.yaml",
        (("  institution: 江西师范大学\n", "  institution: 江西师范大学\n  training_start: 2022-10-01\n  training_end: 2022-03-01\n"),),
        line=17,
        message="早于培训开始日期 2022-10-01",
    ),
    Case(
        "training-far-from-year",
        "projects.yaml",
        (("  institution: 江西师范大学\n", "  institution: 江西师范大学\n  training_end: 2027-06-30\n"),),
        line=16,
        message="与项目年度 2022 相差过远",
    ),
    Case(
        "training-date-as-text",
        "projects.yaml",
        (("  institution: 江西师范大学\n", "  institution: 江西师范大学\n  training_end: 年底前\n"),),
        line=16,
        message="应为日期",
    ),
    Case("list-count-mismatch", "county_lists.yaml", (("  count: 2\n", "  count: 3\n"),), line=6, message="与公布数量 count: 3 不符"),
    Case(
        "page-missing",
        "documents.yaml",
        (("page: notices/jx-2022-14.md\n- id", "page: notices/jx-2022-15.md\n- id"),),
        line=7,
        message="在 content/ 中找不到该页面",
    ),
    # --- hostile but valid text is accepted as typed ------------------------------------
    Case(
        "hostile-text",
        "projects.yaml",
        (
            (
                "  target: 全省中小学语文、数学、英语学科的乡村优秀教师",
                "  target: \"<script>alert('x')</script>'; DROP TABLE projects; -- \\u202e\\u0000\"",
            ),
        ),
        exit=0,
        message="数据校验通过",
    ),
    Case(
        "extraction-spaces",
        "projects.yaml",
        (("  name: 乡村中小学优秀教师高级研修", "  name: 乡村中小学 优秀教师高级研修"),),
        exit=0,
        line=7,
        message="警告：字段 name: “乡村中小学 优秀教师高级研修” 汉字之间有多余空格",
    ),
]
