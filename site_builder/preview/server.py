"""Serve the preview: the built site, a banner saying what is fresh, reload on every update.

While the data has errors every page is the validator's list of problems, never a stale page.
"""

from __future__ import annotations

import html
import json
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .session import Preview

STATE_URL = "/__preview__/state"
# Polls the update counter and reloads when it moves: no websocket, no script from elsewhere.
_SCRIPT = """<script>(function(){var g=%d;setInterval(function(){fetch("%s",{cache:"no-store"})
.then(function(r){return r.json()}).then(function(s){if(s.generation!==g){location.reload()}}).catch(function(){})},700)})();</script>"""
_BANNER = (
    '<div class="gp-preview" role="status" style="padding:.3rem .8rem;background:#fff3cd;color:#3d2e00;'
    'border-bottom:1px solid #c9a227;font-size:.75rem;line-height:1.5">'
    "预览{scope}：保存数据后只重建受影响的页面{last}。站内搜索与数据下载未随修改更新；发布以 "
    "<code>mkdocs build --strict</code> 为准。</div>"
)


def problems_page(preview: Preview) -> str:
    if not preview.problems:
        items = "<li>网站构建失败，详见运行预览的终端窗口；保存修改后将重新构建。</li>"
    else:
        items = "\n".join(f"<li><code>{html.escape(p.location)}</code> {html.escape(p.body())}</li>" for p in preview.problems)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>数据校验未通过 · 预览</title></head>'
        '<body style="font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6">'
        f"<h1>数据校验未通过</h1><p>共 {len(preview.problems)} 个问题。改正并保存后，本页会自动刷新为网站页面。</p>"
        f'<ol class="gp-problems">{items}</ol>{_SCRIPT % (preview.last.generation, STATE_URL)}</body></html>'
    )


class Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass

    def do_GET(self):
        preview = self.preview
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == STATE_URL:
            body = {"generation": preview.last.generation, "valid": preview.valid, "summary": preview.last.summary()}
            return self._send(json.dumps(body, ensure_ascii=False), "application/json")
        target = Path(self.translate_path(path))
        if target.is_dir() or (not target.suffix and not target.exists()):  # a page's URL, even of a removed page
            target = target / "index.html"
        if not preview.valid and (target.suffix == ".html" or not target.exists()):
            return self._send(problems_page(preview))
        if target.suffix != ".html":
            return super().do_GET()
        if not target.is_file():
            return self._send(self._inject(self._not_found()), status=HTTPStatus.NOT_FOUND)
        return self._send(self._inject(target.read_text(encoding="utf-8")))

    def _not_found(self) -> str:
        return (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面不存在 · 预览</title></head><body>'
            '<h1>页面不存在</h1><p>这条记录可能已从数据中删除或改了编号、名称。<a href="/">返回首页</a></p></body></html>'
        )

    def _inject(self, page: str) -> str:
        preview = self.preview
        scope = f"（仅{preview.province}）" if preview.province else ""
        update = preview.last
        seconds = sum(update.seconds.values())
        last = "" if update.full else f"（最近一次更新 {len(update.rendered)} 页、删除 {len(update.removed)} 页，用时 {seconds:.1f} 秒）"
        banner = _BANNER.format(scope=scope, last=last)
        script = _SCRIPT % (preview.last.generation, STATE_URL)
        head, sep, tail = page.partition("<body")
        if sep:
            open_end = tail.index(">") + 1
            page = f"{head}<body{tail[:open_end]}{banner}{tail[open_end:]}"
        return page.replace("</body>", f"{script}</body>") if "</body>" in page else page + script

    def _send(self, body: str, content_type: str = "text/html; charset=utf-8", status: HTTPStatus = HTTPStatus.OK):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def make_server(preview: Preview, site_dir: Path, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(site_dir)))
