"""Upload codes of the 承训单位: made here, shown once to staff, stored only as a SHA-256 digest.

A code is 16 characters of 32 kinds (80 random bits), so a plain digest is enough: nobody can
try enough codes to find one, and a leaked database reveals no code. One code per 承训单位;
issuing a new one replaces the old, which stops working at once, sessions included.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..database import db
from ..models import UnitCode, token_digest, utcnow

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I/1, O/0: read out over the phone without mix-ups
GROUPS, GROUP_LEN = 4, 4
_SEPARATORS = re.compile(r"[\s\-_—–]+")


def new_code() -> str:
    """A fresh code such as 'K7QM-4XPD-9HTR-2WCB'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN))
    return "-".join(raw[i : i + GROUP_LEN] for i in range(0, len(raw), GROUP_LEN))


def normalise(typed: str) -> str:
    """What a person typed, as the code it means: full-width folded, separators dropped, upper case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed)).upper()


def find(typed: str) -> UnitCode | None:
    """The live code row `typed` is, or None (wrong, revoked or not a code at all)."""
    key = normalise(typed)
    if len(key) != GROUPS * GROUP_LEN:
        return None
    return db.session.scalar(select(UnitCode).where(UnitCode.code_hash == token_digest(key)))


def by_institution(institution: str) -> UnitCode | None:
    return db.session.scalar(select(UnitCode).where(UnitCode.institution == institution))


def issue(institution: str, staff: str) -> str:
    """Give `institution` a new code, replacing any earlier one, and return it (shown once, never stored)."""
    for attempt in range(2):
        code = new_code()
        row = by_institution(institution)
        if row is None:
            row = UnitCode(institution=institution, generation=0)
            db.session.add(row)
        row.code_hash = token_digest(normalise(code))
        row.generation += 1
        row.issued_at, row.issued_by, row.last_used_at = utcnow(), staff, None
        try:
            db.session.commit()
            return code
        except IntegrityError:  # another member of staff issued one for the same unit a moment earlier
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def revoke(institution: str) -> bool:
    """Stop `institution`'s code (and its sessions); False if it had none."""
    row = by_institution(institution)
    if row is None or row.code_hash is None:
        return False
    row.code_hash = None
    row.generation += 1
    db.session.commit()
    return True


def all_codes() -> dict[str, UnitCode]:
    return {row.institution: row for row in db.session.scalars(select(UnitCode))}
