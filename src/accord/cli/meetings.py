"""Meetings and groups: `accord meeting ...` (open, close, attend, appoint, show) and
`accord group ...` (found, join), docs/protocol.md 12.8."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from accord.cli.common import CONF, HOME, console, open_node, posted
from accord.core import events as ev
from accord.core.meetings import FORMATS
from accord.core.times import format_time
from accord.infra.clock import now_ms

meeting_app = typer.Typer(
    help="Meetings (formal, informal, informal informal) and facilitators.", no_args_is_help=True
)
group_app = typer.Typer(help="Negotiating groups and their spokespersons.", no_args_is_help=True)
MEETING = typer.Option(..., "--id", help="The meeting's id.")


@meeting_app.command("open")
def open_meeting(
    conf: str = CONF,
    meeting: str = MEETING,
    format: str = typer.Option(..., "--format", help=", ".join(sorted(FORMATS))),
    channel: str = typer.Option("plenary", "--channel"),
    item: str = typer.Option(..., "--item", help="The item (a text id) it is about."),
    home: Path = HOME,
) -> None:
    """Open a meeting (the chair, or the item's facilitator). In an informal informal,
    only attendance and times are recorded: nothing may be posted in its channel."""
    with open_node(home) as node:
        receipt = node.open_meeting(conf, meeting, format, channel, item, now_ms())
    posted(f"{format.replace('_', ' ')} meeting {meeting} opened in {channel}", receipt)


@meeting_app.command("close")
def close_meeting(conf: str = CONF, meeting: str = MEETING, home: Path = HOME) -> None:
    """Close a meeting."""
    with open_node(home) as node:
        receipt = node.close_meeting(conf, meeting, now_ms())
    posted(f"meeting {meeting} closed", receipt)


@meeting_app.command("attend")
def attend(conf: str = CONF, meeting: str = MEETING, home: Path = HOME) -> None:
    """Answer present for your delegation."""
    with open_node(home) as node:
        receipt = node.attend(conf, meeting, now_ms())
    posted(f"present at {meeting}", receipt)


@meeting_app.command("appoint")
def appoint(
    conf: str = CONF,
    state: str = typer.Option(..., "--state", help="The delegation appointed."),
    item: str = typer.Option(..., "--item", help="The item (a text id) it facilitates."),
    end: bool = typer.Option(False, "--end", help="Relieve it instead."),
    home: Path = HOME,
) -> None:
    """The chair appoints a facilitator for an item (or relieves it)."""
    with open_node(home) as node:
        receipt = node.appoint(conf, state, item, now_ms(), end)
    posted(f"{state} {'relieved as' if end else 'appointed'} facilitator for {item}", receipt)


@meeting_app.command("show")
def show(conf: str = CONF, home: Path = HOME) -> None:
    """Every meeting: its format, room, item, times and who attended."""
    with open_node(home) as node:
        meetings = node.meetings(conf)
    for m in meetings.values():
        closed = f", closed at #{m.closed[0]} {format_time(m.closed[1])}" if m.closed else ", open"
        console.print(
            f"{m.id}: {m.format.replace('_', ' ')} in {m.channel} on {m.item}, opened by "
            f"{escape(m.by)} at #{m.opened[0]} {format_time(m.opened[1])}{closed}"
        )
        for state, p in sorted(m.attendance.items()):
            console.print(f"  present: {state} ({escape(p.who)}, #{p.seq} {format_time(p.time)})")


@group_app.command("found")
def found(
    conf: str = CONF,
    group: str = typer.Option(..., "--id"),
    name: str = typer.Option(..., "--name"),
    member: list[str] = typer.Option(..., "--member", help="A member state (repeat; yours too)."),
    home: Path = HOME,
) -> None:
    """Found a negotiating group, as its spokesperson; each member then joins it."""
    content = {"group": group, "name": name, "members": sorted(set(member))}
    with open_node(home) as node:
        receipt = node.negotiate(conf, ev.GROUP, content, now_ms())
        void = node.effect(conf, receipt)
    posted(f"group {group} founded", receipt, void)


@group_app.command("join")
def join(conf: str = CONF, group: str = typer.Option(..., "--id"), home: Path = HOME) -> None:
    """Join a group that lists your state."""
    with open_node(home) as node:
        receipt = node.negotiate(conf, ev.GROUP, {"group": group}, now_ms())
        void = node.effect(conf, receipt)
    posted(f"joined {group}", receipt, void)
