"""Cross-cutting web safety: CSRF, rate limits, security headers and Chinese error pages."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, has_request_context, render_template, request
from flask import Request as FlaskRequest
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from .catalog import CHINA

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

# Only this host: no fonts, scripts or styles from anywhere else, no framing.
CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
SAFETY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Receipt pages carry a private token in their URL: it must never reach another site. But
    # over HTTPS the CSRF check needs the Referer to prove a POST came from this site, so
    # browsers send it to this origin only ("no-referrer" made every POST fail behind HTTPS).
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"
ERRORS = {
    400: ("请求无效", "提交的内容无法处理，请返回上一页检查后重试。"),
    403: ("无权访问", "您没有访问此页面的权限。"),
    404: ("页面不存在", "您访问的页面不存在，或链接已失效。"),
    405: ("请求方式不允许", "此页面不接受这种请求方式。"),
    413: ("文件太大", "上传的内容超过了大小上限（每个文件不超过 {mb} MB）。请压缩文件或分开上传后重试。"),
    429: ("提交过于频繁", "您在短时间内提交次数过多，请稍等一分钟后再试。已填写的内容请先在浏览器中返回上一页保留。"),
    500: ("服务器内部错误", "服务器处理请求时出错，您的提交未被保存。请稍后重试；如多次出现，请联系管理员。"),
}


def submit_limit() -> str:
    """The per-client limit on form submissions (config SUBMIT_RATE_LIMIT)."""
    return current_app.config["SUBMIT_RATE_LIMIT"]


def account_key() -> str:
    """Login attempts counted per account name, whoever tries it (a second, per-client limit
    stays on the route): guessing one account's password from many addresses is slowed too."""
    return "account:" + request.form.get("username", "").strip().lower()[:64]


def init_app(app: Flask) -> None:
    """Wire CSRF, the limiter, headers and error pages into the app."""
    app.before_request(bound_request)  # before CSRF, which is the first to read the form
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(add_headers)
    for code in ERRORS:
        app.register_error_handler(code, error_page)
    app.register_error_handler(CSRFError, csrf_error)
    app.add_template_filter(cn_time)
    app.add_template_filter(dict_without)


def bound_request() -> None:
    """Only multipart forms carry files: any other body is held to MAX_FORM_MEMORY_SIZE.

    Werkzeug reads a urlencoded body whole into memory and applies no per-field limit to it,
    so without this an anonymous POST to the login form could make a worker hold ~100 MB.
    """
    if request.mimetype != "multipart/form-data":
        request.max_content_length = current_app.config["MAX_FORM_MEMORY_SIZE"]


def cn_time(moment) -> str:
    """A stored (naive UTC) time as China time for pages."""
    return moment.replace(tzinfo=dt.UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if moment else ""


def dict_without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


def add_headers(response):
    """Add the security headers to every page the app itself answers.

    The site's page shell has a few inline scripts of the theme; they are allowed by their
    hashes, computed when the shell is loaded, and nothing else inline is.
    """
    hashes = current_app.extensions["shell"].script_hashes
    csp = CSP.replace("default-src 'self';", "default-src 'self'; script-src 'self' " + " ".join(hashes) + ";") if hashes else CSP
    response.headers.setdefault("Content-Security-Policy", csp)
    for name, value in SAFETY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


class _WithoutNul(ImmutableMultiDict):
    """Query values with NUL characters dropped: no filter has a use for them, and PostgreSQL
    refuses them in text (a NUL in an admin filter was a 500 there). Form fields keep them, so
    the forms' validators can refuse them beside the field ("控制字符")."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, MultiDict):
            pairs = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            pairs = mapping.items()
        else:
            pairs = mapping
        super().__init__([(k.replace("\x00", ""), v.replace("\x00", "") if isinstance(v, str) else v) for k, v in pairs])


class Request(FlaskRequest):
    @cached_property
    def args(self) -> _WithoutNul:
        return _WithoutNul(super().args)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the cookie marked Secure whenever the request came
    over HTTPS (directly or, with PROXY_COUNT, through the proxy), not by a setting that must
    match the deployment."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def static_site_headers(headers, path, url) -> None:
    """WhiteNoise hook: the built site gets the same headers except its own CSP (it has inline scripts).

    Data files under /downloads/ are offered as downloads: CSV as text/csv (WhiteNoise's
    table has no .csv and would say application/octet-stream), CSV and JSON as attachments.
    No file name in Content-Disposition, so the page's `download="…"` name still applies.
    """
    for name, value in SAFETY_HEADERS.items():
        headers[name] = value
    if url.endswith(".csv"):
        headers["Content-Type"] = "text/csv; charset=utf-8"
    if url.startswith("/downloads/") and url.endswith((".csv", ".json")):
        headers["Content-Disposition"] = "attachment"


# Forms that come back whole when refused for a reason that is not their content: endpoint →
# function(status, notice, keep_new_files) rendering the form again (registered by blueprints).
RESHOW: dict = {}
EXPIRED = "页面的安全令牌已过期（页面打开时间较长，或浏览器清除了 Cookie）。您填写的内容和选择的文件都已保留，请检查后再次提交。"
THROTTLED = "提交过于频繁，请稍等一分钟后再提交。已填写的内容都已保留；本次新选择的文件未保存，提交前请重新选择。"


def _reshow(status: int, notice: str, keep_new_files: bool):
    if request.method == "POST" and (again := RESHOW.get(request.endpoint)):
        return again(status, notice, keep_new_files)
    return None


def error_page(error):
    """Show an HTTP error as a Chinese page (a refused long form comes back whole instead)."""
    code = getattr(error, "code", 500) or 500
    if code == 429 and (page := _reshow(429, THROTTLED, keep_new_files=False)):
        return page
    title, message = ERRORS.get(code, ERRORS[500])
    message = message.format(mb=current_app.config["FILE_MAX_BYTES"] // (1024 * 1024))
    return render_template("errors/error.html", code=code, title=title, message=message), code


def csrf_error(error):
    """A missing or stale CSRF token: the form back with its input, or a page saying what to do."""
    if page := _reshow(400, EXPIRED, keep_new_files=True):
        return page
    message = "页面的安全令牌缺失或已过期（可能页面打开太久或浏览器禁用了 Cookie）。请返回上一页，刷新后重新提交。"
    return render_template("errors/error.html", code=400, title="安全校验未通过", message=message), 400
