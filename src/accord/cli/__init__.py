"""The `accord` command (Typer + Rich): the table of every command, and `main`.

Each command lives at module level in the module of its group (`verify`, `node`, `text`,
`decision`, `web`, `relay`, `demo`); what they share is in `common`. The modules import
only Typer, Rich and the core at the top: a node, the web stack, Word or PDF load inside
the commands that use them, so `accord --help` and `accord verify` start quickly.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from accord.cli import (
    common,
    credentials,
    decision,
    demo,
    documents,
    meetings,
    ministry,
    node,
    relay,
    text,
    verify,
    web,
)

app = typer.Typer(
    help="Accord: secure, verifiable digital negotiations between states.",
    no_args_is_help=True,
    add_completion=False,
)

# Commands, in the order `accord --help` lists them.
app.command()(verify.verify)
app.command()(demo.demo)
app.command("fingerprint")(verify.fingerprint_cmd)
app.command()(node.init)
app.command()(node.join)
app.command("safety-number")(node.safety_number_cmd)
app.command()(node.post)
app.command("publish-confirmation")(node.publish_confirmation)
app.command("publish-revocation")(node.publish_revocation)
app.command()(node.sync)
app.command()(node.status)
app.command()(node.messages)
app.command("export")(node.export_cmd)
app.command("final-act")(text.final_act_cmd)
app.command("signature")(text.signature_cmd)
app.command("statement")(decision.statement)
app.command()(verify.version)

# Groups of commands.
app.add_typer(ministry.root_app, name="root")
app.add_typer(node.identity_app, name="identity")
app.add_typer(ministry.powers_app, name="powers")
app.add_typer(node.conference_app, name="conference")
app.add_typer(node.channel_app, name="channel")
app.add_typer(node.device_app, name="device")
app.add_typer(node.contact_app, name="contact")
app.add_typer(text.text_app, name="text")
app.add_typer(decision.decision_app, name="decision")
app.add_typer(credentials.credentials_app, name="credentials")
app.add_typer(documents.document_app, name="document")
app.add_typer(meetings.meeting_app, name="meeting")
app.add_typer(meetings.group_app, name="group")
app.add_typer(web.web_app, name="web")
app.add_typer(relay.relay_app, name="relay")


# The extra that brings a module the base install lacks (pyproject.toml).
EXTRAS = {
    "sqlalchemy": "node", "httpx": "node", "websockets": "node",
    "fastapi": "relay", "uvicorn": "relay", "alembic": "relay", "aiosqlite": "relay",
    "psycopg": "relay", "starlette": "relay",
    "docx": "documents", "reportlab": "documents", "jinja2": "documents",
    "multipart": "web", "python_multipart": "web",
}  # fmt: skip


def main() -> None:
    try:
        app()
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in EXTRAS:
            raise
        # The web interface's commands need the whole `web` extra, whatever module is first.
        extra = "web" if sys.argv[1:2] == ["web"] else EXTRAS[top]
        extras = escape(f"'accord[{extra}]', or 'accord[all]'")
        common.err.print(
            f"[red]error:[/red] this command needs a part of Accord that is not installed "
            f"(the module {top}): pip install {extras}"
        )
        raise SystemExit(2) from exc
