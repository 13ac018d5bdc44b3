"""The 出彩 call as a process: each application's status, who moves it where, and its level.

Seed 004 (教办师〔2024〕107号): 县（区）教育局局长 applications go through 省辖市 审核推荐 first,
with a quota; 省辖市 and 高校 applications go straight to the province. The province 受理 or
退回 (the applicant fixes and resubmits the same application), experts score, the province
decides 立项, and 立项 projects hand in 结项 materials by their direction's 结项时间.
"""

from __future__ import annotations

DRAFT = "草稿"
UNCONFIRMED = "待确认"  # submitted, e-mail not yet confirmed: counts for nothing, blocks nobody
CITY_REVIEW = "待市级推荐"
NOT_RECOMMENDED = "市级未推荐"
SUBMITTED = "已提交"  # with the province
RETURNED = "退回"
ACCEPTED = "受理"  # admitted to 专家评审
APPROVED = "立项"
REJECTED = "不立项"
COMPLETED = "已结项"

STATUSES = [DRAFT, UNCONFIRMED, CITY_REVIEW, NOT_RECOMMENDED, SUBMITTED, RETURNED, ACCEPTED, APPROVED, REJECTED, COMPLETED]
# What the applicant has not yet sent: staff lists leave these out by default.
NOT_SENT = (DRAFT, UNCONFIRMED)
# Where the applicant may still change the 申报书 (while the call is open, except after 退回).
EDITABLE = (DRAFT, UNCONFIRMED, RETURNED)

# Applicant levels, from the 负责人身份 chosen on the form.
COUNTY, CITY, UNIVERSITY = "县区", "省辖市", "高校"


def level_of(role: str) -> str:
    if role.startswith("县"):
        return COUNTY
    if role.startswith("高等学校"):
        return UNIVERSITY
    return CITY


def after_confirmation(level: str) -> str:
    """Where a confirmed application goes first: its city for a 县（区）, else the province."""
    return CITY_REVIEW if level == COUNTY else SUBMITTED


# Staff moves: (from, to) → the role that may make it and what its button says. Applicant moves
# (confirm, resubmit) are made by the apply blueprint itself, never through these routes.
STAFF_MOVES = {
    (CITY_REVIEW, SUBMITTED): ("city", "推荐"),
    (CITY_REVIEW, NOT_RECOMMENDED): ("city", "不推荐"),
    (SUBMITTED, ACCEPTED): ("province", "受理（进入专家评审）"),
    (SUBMITTED, RETURNED): ("province", "退回修改"),
    (ACCEPTED, APPROVED): ("province", "立项"),
    (ACCEPTED, REJECTED): ("province", "不立项"),
    (APPROVED, COMPLETED): ("province", "确认结项"),
}
# A move that needs a written reason (shown to the applicant).
NEEDS_NOTE = {RETURNED, NOT_RECOMMENDED}


def mover(old: str, new: str) -> str | None:
    """The role that may move an application from `old` to `new`, if any."""
    return STAFF_MOVES.get((old, new), (None, ""))[0]


def staff_moves(status: str, role: str) -> list[tuple[str, str]]:
    """(status, button label) for each move staff of `role` may make from `status`."""
    return [(new, label) for (old, new), (who, label) in STAFF_MOVES.items() if old == status and who == role]
