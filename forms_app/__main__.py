"""`python -m forms_app`: serve site and forms on one port for local use, in demo mode."""

import sys

import click

from . import create_app
from .catalog import DataError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8000, show_default=True, help="监听端口。")
@click.option("--demo/--no-demo", default=True, show_default=True, help="演示模式：取消申报截止日期限制，并在表单页显示提示。")
def main(host: str, port: int, demo: bool) -> None:
    """启动门户（网站与表单）。"""
    try:
        app = create_app()
    except DataError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    # Demo is a local convenience: it lifts the deadline so a newcomer can try the closed call.
    # Production starts (gunicorn forms_app.wsgi:app, create_app()) keep DEMO_MODE False.
    app.config["DEMO_MODE"] = demo
    click.echo(f"门户已启动：http://{host}:{port}/ （按 Ctrl+C 停止）" + ("　【演示模式】" if demo else ""))
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)


main()
