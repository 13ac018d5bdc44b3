"""The filled 申报书 (.docx); built by the `shenbaoshu` package, kept here for `docx.build_docx` callers."""

from .shenbaoshu import build_docx

__all__ = ["build_docx"]
