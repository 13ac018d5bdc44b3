"""`python -m site_builder.preview`: build once, serve, keep pages fresh as data/ is edited."""

from __future__ import annotations

import logging
import shutil
import signal
import tempfile
import threading
from pathlib import Path

import click

from .scope import provinces
from .server import make_server
from .session import Preview
from .watch import watch


@click.command("preview")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", default="", help="只预览一个省的页面，例如 江西省（全国数据时启动更快）。")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help="预览网站写在哪里（默认临时目录，结束时删除）。")
def preview(config_file: Path, province: str, host: str, port: int, site_dir: Path | None) -> None:
    """预览网站：保存 data/ 中的修改后，只重建受影响的页面并自动刷新浏览器。"""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs.preview").setLevel(logging.INFO)
    root = config_file.resolve().parent
    keep = site_dir is not None
    site_dir = site_dir.resolve() if keep else Path(tempfile.mkdtemp(prefix="portal-preview-"))
    session = Preview(config_file.resolve(), site_dir, province.strip() or None)
    click.echo("正在完整构建网站（全国规模约需两分钟；指定 --province 只构建一个省）…")
    session.build()
    if session.province and session.built and session.province not in provinces(session.checked):
        _clean(site_dir, keep)
        known = "、".join(provinces(session.checked))
        raise click.ClickException(f"数据中没有省份 “{session.province}”。可选：{known}")
    try:
        server = make_server(session, site_dir, host, port)
    except OSError as exc:
        _clean(site_dir, keep)
        raise click.ClickException(f"无法在 {host}:{port} 上启动预览（{exc.strerror}）；请换一个端口，例如 --port 8001") from None
    signal.signal(signal.SIGTERM, _interrupt)  # a terminated preview still removes its folder
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(session, root, stop), daemon=True)
    watcher.start()
    click.echo(f"预览地址：http://{host}:{port}/  （按 Ctrl+C 结束）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        _clean(site_dir, keep)


def _clean(site_dir: Path, keep: bool) -> None:
    if not keep:
        shutil.rmtree(site_dir, ignore_errors=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    preview(prog_name="python -m site_builder.preview")
