"""A YAML syntax error as a Problem at the line where the mistake is.

libyaml reports where it gave up, which for an unclosed quote or bracket is often
far below the mistake: a double quote opened on line 67 swallows the following
lines until the next `"` and the parser fails on line 78 with “did not find expected
key”. So before reporting the parser's position we look for what was left open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .problems import Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SYNTAX_MESSAGES = [
    ("mapping values are not allowed", "此处不能出现“: ”：可能是缩进不对，或值中含冒号而未加引号"),
    ("could not find expected ':'", "缺少冒号“:”，每个字段应写作“字段: 值”"),
    ("did not find expected key", "缩进不一致或缺少“- ”，同一记录的字段应对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致，每条记录应以“- ”开头并对齐"),
    ("expected <block end>", "缩进不一致，同一层级的内容应对齐"),
    ("found unexpected end of stream", "文件意外结束，可能有未闭合的引号或括号"),
    ("found undefined alias", "使用了未定义的别名（*）"),
    ("found character that cannot start any token", "出现了不能开始一个值的字符（如 @、`），请给该值加引号"),
    ("found unknown escape character", "双引号内的反斜杠转义无效，请改用单引号或去掉反斜杠"),
    ("found duplicate anchor", "锚点（&）重复"),
    ("did not find expected node content", "缺少值，或符号（如 [ ] { }）不成对"),
    ("did not find expected ',' or ']'", "方括号列表未闭合或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号未闭合或缺少逗号"),
]

# What each opening character is called, and how to close it.
_OPENERS = {
    '"': ('双引号“"”未闭合', '请在值的末尾补上 "，或去掉开头的 "'),
    "'": ("单引号“'”未闭合", "请在值的末尾补上 '，或去掉开头的 '"),
    "[": ("方括号“[”未闭合", "列表应以“]”结束，如 [甲县, 乙县]"),
    "{": ("花括号“{”未闭合", "记录的字段不能写成 { }，请去掉“{”，或在同一行以“}”结束"),
}
_CLOSERS = {"[": "]", "{": "}"}
# A line of its own inside a quoted value that looks like the next field or record:
# the quote before it was never closed.
_FIELD_LINE = re.compile(r"^\s*(-\s+|[^\s#'\"\[\]{},:-][^:#]*:(\s|$))")


@dataclass(frozen=True)
class _Opening:
    char: str
    line: int  # 0-based, as in yaml marks
    column: int


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, label: str) -> Problem:
    """The Problem for a file libyaml cannot compose."""
    mark = exc.problem_mark or exc.context_mark
    opening = _unclosed(exc, text)
    if opening and mark:
        what, fix = _OPENERS[opening.char]
        if "end of stream" in (exc.problem or ""):
            gave_up = "（直到文件末尾都没有闭合）"
        else:
            gave_up = f"（解析到第 {mark.line + 1} 行时发现）" if mark.line > opening.line else ""
        message = f"YAML 语法错误（第 {opening.line + 1} 行第 {opening.column + 1} 列）：{what}{gave_up}，{fix}"
        return Problem(label, opening.line + 1, message, code="yaml-syntax")  # fatal like any syntax error (validate.FATAL_CODES)
    reason = exc.problem or exc.context or "语法错误"
    chinese = next((zh for en, zh in _SYNTAX_MESSAGES if en in reason), None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
    message = f"YAML 语法错误（{where}）：{chinese or reason}"
    return Problem(label, mark.line + 1 if mark else None, message, code="yaml-syntax")


def _unclosed(exc: yaml.MarkedYAMLError, text: str) -> _Opening | None:
    context, problem = exc.context_mark, exc.problem_mark
    if context and problem and context.index < len(text):
        char = text[context.index]
        # libyaml names the opening itself as the context of these errors.
        if exc.context == "while scanning a quoted scalar" and char in "\"'":
            return _Opening(char, context.line, context.column)
        if exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") and char in _CLOSERS:
            if problem.line > context.line and not _closes(text[context.index : problem.index]):
                return _Opening(char, context.line, context.column)
    return _quote_swallowing_fields(text, problem.index if problem else len(text))


def _closes(span: str) -> bool:
    """Whether the bracket `span` starts with is closed within it (quoted text skipped)."""
    depth, quote = 0, ""
    for char in span:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
    return False


def _quote_swallowing_fields(text: str, stop: int) -> _Opening | None:
    """The first quoted value before `stop` that runs over a line looking like a field."""
    loader = _Loader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if token.start_mark.index > stop:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') and token.end_mark.line > token.start_mark.line:
                inner = text[token.start_mark.index : token.end_mark.index].splitlines()[1:]
                if any(_FIELD_LINE.match(line) for line in inner):
                    return _Opening(token.style, token.start_mark.line, token.start_mark.column)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None
