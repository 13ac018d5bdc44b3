"""The pull-request comment: record changes in the schema's Chinese titles, then their effects.

Values come from data anyone can edit in a pull request, so every one is escaped
for Markdown; long lists are cut so a comment stays well under GitHub's 65,536
characters.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .diff_effects import Effects

if TYPE_CHECKING:
    from .data_diff import FieldChange, ResourceDiff, Review

MAX_ITEMS = 40  # lines per list
MAX_IN_CELL = 5  # projects named in one table cell
MARKER = "<!-- guopei-data-diff -->"  # lets the workflow find and update its own comment

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")


def md(value: object, limit: int = 60) -> str:
    """One value as inline Markdown text: escaped, on one line, shortened."""
    text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    text = re.sub(r"[\r\n]+", "⏎", text)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return _SPECIAL.sub(r"\\\1", text)


def _show(value: object) -> str:
    return "（空）" if value is None or value == [] else md(value)


def _capped(lines: list[str], limit: int = MAX_ITEMS) -> list[str]:
    return lines if len(lines) <= limit else lines[:limit] + [f"- ……另有 {len(lines) - limit} 项未列出"]


def _change(change: FieldChange) -> str:
    if change.is_list:
        parts = [f"+{md(x)}" for x in change.items_added()] + [f"−{md(x)}" for x in change.items_removed()]
        return f"{md(change.title)}：{' '.join(parts) or '（仅顺序变化）'}"
    return f"{md(change.title)}：{_show(change.before)} → {_show(change.after)}"


def _resource(diff: ResourceDiff) -> list[str]:
    lines = [f"#### {md(diff.title)}：新增 {len(diff.added)}，删除 {len(diff.removed)}，修改 {len(diff.changed)}", ""]
    items = [f"- 新增 {md(label)}" for label in diff.added] + [f"- 删除 {md(label)}" for label in diff.removed]
    items += [f"- 修改 {md(label)}：{'；'.join(_change(c) for c in changes)}" for label, changes in diff.changed]
    return lines + _capped(items) + [""]


def _projects(items: list[tuple[str, str]]) -> str:
    named = [f"{md(pid)} {md(name, 30)}".strip() for pid, name in items[:MAX_IN_CELL]]
    more = f" 等 {len(items)} 个" if len(items) > MAX_IN_CELL else ""
    return "；".join(named) + more or "—"


def _signed(before: int, after: int) -> str:
    return f"{after:,}" if before == after else f"{before:,} → {after:,}（{after - before:+,}）"


def _effects(effects: Effects) -> list[str]:
    lines = ["### 影响", ""]
    if effects.counted:
        lines += _coverage(effects)
    lines += ["", "#### 校验", ""]
    if effects.new_problems:
        lines.append(f"**新出现 {len(effects.new_problems)} 个问题**（合并前请修正）：")
        lines += _capped([f"- {md(p.text(), 300)}" for p in effects.new_problems])
    else:
        lines.append("没有新出现的校验问题。")
    if effects.fixed_problems:
        lines.append(f"\n已解决原有问题 {effects.fixed_problems} 个。")
    return lines


def _coverage(effects: Effects) -> list[str]:
    lines = ["#### 项目覆盖的县", ""]
    if effects.counties:
        rows = [f"| {md(c.province)} {md(c.county)} | {_projects(c.gained)} | {_projects(c.lost)} |" for c in effects.counties]
        lines += ["| 县（市、区） | 新增覆盖的项目 | 不再覆盖的项目 |", "|---|---|---|", *rows[:MAX_ITEMS]]
        if len(rows) > MAX_ITEMS:
            lines.append(f"\n……另有 {len(rows) - MAX_ITEMS} 个县未列出")
    else:
        lines.append("没有县新增或失去点名、名单覆盖的项目。")
    for province, year, gained, lost in effects.province_wide:
        change = " ".join([f"+{md(i)}" for i in gained] + [f"−{md(i)}" for i in lost])
        lines.append(f"\n全省项目（覆盖该省每个县）{md(province)} {year} 年：{change}")
    lines += ["", "#### 各省各年度合计", ""]
    if effects.totals:
        lines += ["| 省份 | 年度 | 项目数 | 人数 |", "|---|---|---|---|"]
        lines += [f"| {md(t.province)} | {t.year} | {_signed(*t.projects)} | {_signed(*t.people)} |" for t in effects.totals]
    else:
        lines.append("各省各年度的项目数与人数不变。")
    if effects.institutions_gained or effects.institutions_lost:
        lines += ["", "#### 承训单位", ""]
        lines += [f"- 新承担项目：{md(name)}（{n} 个项目）" for name, n in effects.institutions_gained]
        lines += [f"- 不再承担项目：{md(name)}（原 {n} 个项目）" for name, n in effects.institutions_lost]
    return lines


def render(review: Review) -> str:
    """Markdown for a pull-request comment (or `$GITHUB_STEP_SUMMARY`)."""
    changed = [d for d in review.resources if not d.empty]
    effects = review.effects
    if not changed and not review.unreadable and not effects.new_problems and not effects.fixed_problems:
        return f"{MARKER}\n与 {md(review.ref)} 相比，数据没有变化。\n"
    overview = "；".join(f"{md(d.title)} +{len(d.added)} −{len(d.removed)} ~{len(d.changed)}" for d in changed)
    lines = [MARKER, f"## 数据变更摘要（与 {md(review.ref)} 相比）", "", overview or "记录没有变化。", "", "### 记录变化", ""]
    for diff in changed:
        lines += _resource(diff)
    if review.unreadable:
        names = "、".join(md(t) for t in review.unreadable)
        lines += [f"**{names}：文件无法读取，未比较，覆盖的县与合计也未计算**（原因见下方“校验”）。", ""]
    lines += _effects(effects)
    return "\n".join(lines).rstrip() + "\n"
