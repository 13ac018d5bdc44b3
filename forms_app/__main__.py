"""`python -m forms_app`: serve site and forms on one port for local use, in demo mode.

The server is gunicorn, as in production (not Flask's development server), so the
one-command start behaves like a deployment apart from the demo banner and lifted deadline.
Demo mode is set here, after the app is made, and nowhere else: no setting or environment
variable turns it on under the production entry point (forms_app.wsgi).
"""

import sys

import click
from gunicorn.app.base import BaseApplication

from . import create_app
from .catalog import DataError


class _Server(BaseApplication):
    """gunicorn run from Python: the app is made in each worker, with demo mode as chosen."""

    def __init__(self, options: dict, demo: bool):
        self.options, self.demo = options, demo
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        app = create_app()
        app.config["DEMO_MODE"] = self.demo
        return app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8000, show_default=True, help="监听端口。")
@click.option("--workers", default=2, show_default=True, help="工作进程数。")
@click.option("--demo/--no-demo", default=True, show_default=True, help="演示模式：取消申报截止日期限制，并在表单页显示提示。")
def main(host: str, port: int, workers: int, demo: bool) -> None:
    """启动门户（网站与表单）。"""
    try:
        create_app()  # data errors are reported here, in Chinese, before any worker starts
    except DataError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"门户已启动：http://{host}:{port}/ （按 Ctrl+C 停止）" + ("　【演示模式】" if demo else ""))
    options = {"bind": f"{host}:{port}", "workers": workers, "graceful_timeout": 10, "accesslog": None, "loglevel": "warning"}
    _Server(options, demo).run()


main()
