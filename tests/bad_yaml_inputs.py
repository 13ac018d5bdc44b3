"""Bad-input corpus, part one: files that cannot be read as YAML at all.

An unclosed quote or bracket must be reported on the line where it was opened,
whatever line libyaml gave up on.
"""

from __future__ import annotations

from bad_inputs import Case

BILLION_LAUGHS = """- id: a
  name: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""

DQ = '双引号“"”未闭合'
SQ = "单引号“'”未闭合"
SB = "方括号“[”未闭合"
CB = "花括号“{”未闭合"

CASES = [
    # --- YAML that cannot be read -------------------------------------------------
    Case("syntax-colon", "projects.yaml", (("  scope: 全省\n", "  scope: 全省: 全国\n"),), line=14, message="YAML 语法错误（第 14 行"),
    Case("syntax-indent", "projects.yaml", (("\n  target:", "\n   target:"),), line=8, message="YAML 语法错误"),
    # Unclosed quotes and brackets: reported where they were opened, not where libyaml gave up.
    Case("syntax-unclosed-quote", "institutions.yaml", (("- name: 江西师范大学", '- name: "江西师范大学'),), line=1, message=DQ),
    Case("syntax-unclosed-bracket", "projects.yaml", (("counties: [乐平市, 南康区]", "counties: [乐平市, 南康区"),), line=29, message=SB),
    Case(
        "unclosed-dq-closed-by-a-later-quote",  # the parser fails on line 25, at the next quote
        "projects.yaml",
        (("  target: 全省", '  target: "全省'), ("duration: 线下集中不少于10天", 'duration: "线下集中不少于10天"')),
        line=8,
        message=DQ,
        extra=("解析到第 25 行",),
    ),
    Case("unclosed-dq-city", "counties.yaml", (("  city: 赣州市", '  city: "赣州市'),), line=3, message=DQ, extra=("解析到第 4 行",)),
    Case("unclosed-dq-level", "counties.yaml", (("  level: 县级市", '  level: "县级市'),), line=16, message=DQ),
    Case("unclosed-dq-in-list", "projects.yaml", (("counties: [乐平市, 南康区]", 'counties: ["乐平市, 南康区]'),), line=29, message=DQ),
    Case("unclosed-dq-title", "calls.yaml", (("  title: 第三批", '  title: "第三批'),), line=2, message=DQ, extra=("文件末尾",)),
    Case("unclosed-sq-name", "projects.yaml", (("  name: 乡村中小学优秀", "  name: '乡村中小学优秀"),), line=7, message=SQ),
    Case("unclosed-sq-city", "counties.yaml", (("  city: 赣州市", "  city: '赣州市"),), line=3, message=SQ),
    Case("unclosed-sq-alias", "institutions.yaml", (("aliases: [北京", "aliases: ['北京"),), line=4, message=SQ),
    Case("unclosed-sq-goal", "call_directions.yaml", (("  goal: 建立", "  goal: '建立"),), line=5, message=SQ),
    Case(
        "unclosed-bracket-list",
        "county_lists.yaml",
        (("counties: [南昌市经济技术开发区, 遂川县]", "counties: [南昌市经济技术开发区, 遂川县"),),
        line=6,
        message=SB,
    ),
    Case("unclosed-bracket-former-names", "counties.yaml", (("former_names: [南康县]", "former_names: [南康县"),), line=6, message=SB),
    Case("unclosed-bracket-roles", "calls.yaml", (("leader_roles: [高等学校校长,", "leader_roles: [[高等学校校长,"),), line=6, message=SB),
    Case("unclosed-brace-issuer", "documents.yaml", (("  issuer: 江西省教育厅", "  issuer: {江西省教育厅"),), line=3, message=CB),
    Case("unclosed-brace-mode", "projects.yaml", (("  mode: 两年递进式混合研修", "  mode: {两年递进式混合研修"),), line=9, message=CB),
    Case("unclosed-brace-summary", "guidance.yaml", (("  summary: 以中西部", "  summary: {以中西部"),), line=5, message=CB),
    Case("tab-indent", "projects.yaml", (("\n  mode:", "\n\tmode:"),), line=9, message="制表符"),
    Case("bom", "projects.yaml", (("- id: jx2022-001", "\ufeff- id: jx2022-001"),), exit=0, line=1, message="BOM"),
    Case("not-utf8", "counties.yaml", content="- name: 南康区\n".encode("gbk"), line=1, message="不是 UTF-8 编码"),
    Case("top-level-mapping", "projects.yaml", content="id: jx2022-001\nname: 项目\n", line=1, message="顶层应为记录列表"),
    Case("top-level-scalar", "guidance.yaml", content="随便写的一段话\n", line=1, message="实际是单个值"),
    Case("empty-file", "guidance.yaml", content="", line=1, message="文件为空"),
    Case("billion-laughs", "guidance.yaml", content=BILLION_LAUGHS, line=2, message="锚点与别名"),
    Case("missing-file", "guidance.yaml", content=None, message="文件不存在"),
    Case(
        "unknown-tag",
        "projects.yaml",
        (("  mode: 两年递进式混合研修", "  mode: !!python/name:os.system"),),
        line=9,
        message="不支持的 YAML 标签",
    ),
]
