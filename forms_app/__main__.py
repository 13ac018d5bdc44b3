"""`python -m forms_app`: serve site and forms on one port for local use."""

import click

from . import create_app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8000, show_default=True, help="监听端口。")
def main(host: str, port: int) -> None:
    """启动门户（网站与表单）。"""
    click.echo(f"门户已启动：http://{host}:{port}/ （按 Ctrl+C 停止）")
    create_app().run(host=host, port=port, debug=False, use_reloader=False)


main()
