"""`plan serve`: the local web workbench and its JSON API (planner/serve/, docs/workbench.md)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

from cli.common import lang_option, out, user_text
from planner.i18n import tr


@click.command(epilog="\b\nExamples:\n  plan serve\n  plan serve --port 9000 --data ~/plan-history\n"
                      "  plan serve --host 0.0.0.0 --token \"$(openssl rand -hex 16)\"")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port (0: any free port; the address printed says which).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=Path("plan-serve-data"),
              show_default=True, help="Folder of the run history (runs.sqlite3).")
@click.option("--token", envvar="PLAN_SERVE_TOKEN", default=None,
              help="Every request must carry it (Authorization: Bearer, or the printed address once); "
                   "required off loopback. Also from PLAN_SERVE_TOKEN.")
@click.option("--jobs", type=click.IntRange(min=1, max=256), default=None,
              help="Solves at once, each in its own process [default: one per core]; the rest queue.")
@click.option("--queue", "queue_cap", type=click.IntRange(min=1, max=10_000), default=64, show_default=True,
              help="Runs that may wait in the queue; beyond it a submission is refused (503).")
@click.option("--max-run-seconds", type=click.FloatRange(min=1), default=1800.0, show_default=True,
              help="Wall-clock limit of one run, explanations included; a run over it is ended and failed.")
@lang_option
def serve(host: str, port: int, data: Path, token: str | None, jobs: int | None, queue_cap: int,
          max_run_seconds: float) -> None:
    """Start the local web workbench: upload a scenario, solve it with live progress, see the report,
    download plan.json / the workbook / the Word draft, sweep budgets, compare runs; a JSON API
    (docs/api.md). The run history is kept in --data and survives restarts."""
    # lazy: optional extra (serve: uvicorn, fastapi, jinja2), for this command only
    import uvicorn

    from planner.serve.app import Settings, create_app
    from planner.serve.db import DatabaseTooNew
    from planner.serve.security import is_loopback

    if not is_loopback(host) and not token:
        raise click.UsageError(tr(f"监听 {host}（非本机回环地址）需要 --token",
                                  f"listening on {host} (not loopback) needs --token"))
    try:
        app = create_app(Settings(data=data, host=host, token=token or None, slots=jobs, queue_cap=queue_cap,
                                  max_seconds=max_run_seconds))
    except DatabaseTooNew as exc:
        raise click.ClickException(str(exc)) from None
    sock = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{sock.getsockname()[1]}/"
    out.print(user_text(tr(f"plan serve：{address}{'?token=' + token if token else ''}  （Ctrl-C 停止；"
                           f"运行记录在 {data}）",
                           f"plan serve: {address}{'?token=' + token if token else ''}  (Ctrl-C stops; "
                           f"history in {data})")))
    sys.stdout.flush()
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(tr(f"无法监听 {host}:{port}：{exc.strerror}",
                                      f"cannot listen on {host}:{port}: {exc.strerror}")) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
