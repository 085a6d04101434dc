"""The node's commands: the real workflow of a ministry, a host and a delegation.

Every command works on a node home (`--home`, or ACCORD_HOME, default `data/node`)
holding an encrypted keystore and a replica. The passphrase comes from
ACCORD_PASSPHRASE or is asked for.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import Progress, TaskID
from rich.table import Column, Table

from accord.cli.common import (
    HOME,
    console,
    err,
    open_node,
    passphrase,
    print_value,
    quiet_option,
    read_json,
)
from accord.cli.display import message_line, untrusted
from accord.core import events as ev
from accord.core.errors import AccordError
from accord.core.genesis import PROCEDURE_1, procedure_2
from accord.core.keys import PublicKey, fingerprint
from accord.core.sealing import DevicePublicKey
from accord.core.times import format_time
from accord.infra.clock import now_ms
from accord.infra.record_file import write_record

identity_app = typer.Typer(help="This node's own signing identity.", no_args_is_help=True)
conference_app = typer.Typer(help="Open a conference on a relay (as host).", no_args_is_help=True)


def init(home: Path = HOME) -> None:
    """Create a node: an encrypted keystore and an empty replica."""
    from accord.node.session import Node  # noqa: PLC0415 - loads the node's stack

    try:
        Node.create(home, passphrase(confirm=True)).close()
    except AccordError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    console.print(f"node created in {home}")


@identity_app.command("create")
def identity_create(home: Path = HOME, quiet: bool = quiet_option("the public key")) -> None:
    """Create this node's signing key (a delegate's, or a host's)."""
    with open_node(home) as node:
        key = node.create_identity()
    _print_key(key, quiet)


@identity_app.command("show")
def identity_show(home: Path = HOME, quiet: bool = quiet_option("the public key")) -> None:
    """Print this node's public key and fingerprint."""
    with open_node(home) as node:
        key = node.identity.public
    _print_key(key, quiet)


def _print_key(key: PublicKey, quiet: bool) -> None:
    if quiet:
        print_value(key.text)
        return
    console.print(f"identity: {key.text}")
    console.print(f"fingerprint: {fingerprint(key)}")


@conference_app.command("create")
def conference_create(
    relay: str = typer.Option(..., "--relay"),
    conf: str = typer.Option(..., "--conf", help="Conference id, e.g. cyber-cbm-2026."),
    title: str = typer.Option(..., "--title"),
    state: list[str] = typer.Option(
        ..., "--state", help="CODE:NAME:ROOTKEY of an accredited member state; repeat."
    ),
    observer: list[str] = typer.Option([], "--observer", help="CODE:NAME:ROOTKEY of an observer."),
    chair: str = typer.Option(
        "Chair", "--chair-name", help="The chair's name (this node's identity)."
    ),
    rule: str = typer.Option(
        "consensus", "--rule", help="consensus, simple_majority, two_thirds_majority"
    ),
    place: str | None = typer.Option(None, "--place", help="Where it meets (final acts: "
                                     "\"Done at ...\")."),
    procedure: int = typer.Option(
        2, "--procedure", help="Rules of procedure version: 2 (the settings below, defaults "
        "from the UN General Assembly's rules; docs/protocol.md 12.4), or 1 (the rules of "
        "conferences made before version 2 existed)."
    ),
    majority: str = typer.Option(
        "present_and_voting", "--majority", help="2: present_and_voting, present, all_members"
    ),
    quorum: int | None = typer.Option(None, "--quorum", help="2: default a majority of members"),
    consensus_minutes: int = typer.Option(
        15, "--consensus-minutes", help="2: how long a consensus stays open at least"
    ),
    clean_text: bool = typer.Option(True, "--clean-text/--brackets-allowed",
                                    help="2: adopt only text without brackets"),
    package: bool = typer.Option(False, "--package", help="2: nothing is agreed until "
                                 "everything is agreed"),
    sponsor_explains: bool = typer.Option(False, "--sponsor-explains", help="2: a sponsor "
                                          "may explain its vote on its own proposal"),
    initialling_is_signature: bool = typer.Option(
        False, "--initialling-is-signature", help="2: initialling constitutes signature "
        "(VCLT art. 12(2)(a))"),
    committee: list[str] = typer.Option(
        [], "--credentials-committee", help="2: a member state on the credentials committee "
        "(repeat); none: the chair reports on credentials"),
    provisional_rights: str = typer.Option(
        "full", "--provisional-rights", help="2: full (GA rule 29), or no_vote: a "
        "provisionally seated delegation neither votes nor signs"),
    time_zone: str = typer.Option(
        "UTC", "--time-zone", help="2: the time zone of the conference's seat, e.g. "
        "Europe/Vienna: pages show times in it beside UTC"),
    home: Path = HOME,
    quiet: bool = quiet_option("the genesis hash"),
) -> None:  # fmt: skip
    """Sign the genesis as host (and chair) and open the conference on a relay."""
    from accord.node.local_time import UnknownZone, zone  # noqa: PLC0415

    try:
        zone(time_zone)
    except UnknownZone as exc:
        raise typer.BadParameter(str(exc), param_hint="--time-zone") from exc
    states = []
    for spec, role in [*((s, "member") for s in state), *((o, "observer") for o in observer)]:
        parts = spec.split(":", 2)
        if len(parts) != 3:
            err.print(f"[red]error:[/red] {spec!r} is not CODE:NAME:ROOTKEY")
            raise typer.Exit(2)
        code, name, root = parts
        states.append({"code": code, "name": name, "root": root, "role": role})
    if procedure not in (1, 2):
        raise typer.BadParameter("rules of procedure version 1 or 2", param_hint="--procedure")
    members = sum(1 for s in states if s["role"] == "member")
    rules = PROCEDURE_1 if procedure == 1 else procedure_2(
        members, majority=majority, quorum=quorum, consensus_min_ms=consensus_minutes * 60_000,
        clean_text=clean_text, package=package, sponsor_explains=sponsor_explains,
        initialling_is_signature=initialling_is_signature,
        credentials_committee=tuple(committee), provisional_rights=provisional_rights,
        time_zone=time_zone,
    )  # fmt: skip
    with open_node(home) as node:
        genesis = node.create_conference(
            relay, conf, title, states, now_ms(), host_name=chair, decision_rule=rule,
            procedure=rules, place=place,
        )  # fmt: skip
    if quiet:
        print_value(genesis)
        return
    console.print(f"conference {conf} opened on {relay}")
    console.print(f"genesis hash (send it to every delegation): [cyan]{genesis}[/cyan]")


def join(
    relay: str = typer.Option(..., "--relay"),
    conf: str = typer.Option(..., "--conf"),
    credential: Path = typer.Option(..., "--credential", help="Your full powers (JSON file)."),
    genesis: str | None = typer.Option(None, "--genesis", help="The genesis hash you were given."),
    home: Path = HOME,
) -> None:
    """Replicate a conference, verify it, and present your full powers."""
    with open_node(home) as node:
        if genesis is None:
            err.print(
                "[yellow]warning:[/yellow] no --genesis given: trusting the relay's "
                "conference on first use"
            )
        receipt = node.join(relay, conf, read_json(credential), genesis, now_ms())
    console.print(f"joined {conf} as entry #{receipt['seq']}")


channel_app = typer.Typer(help="Channels besides the plenary.", no_args_is_help=True)


@channel_app.command("open")
def channel_open(
    conf: str = typer.Option(..., "--conf"),
    channel: str = typer.Option(..., "--id", help="The channel's id, e.g. arc-bor."),
    kind: str = typer.Option(..., "--kind", help="bilateral, group, or consultation (chair)"),
    member: list[str] = typer.Option(..., "--member", help="A member state code; repeat."),
    history: str = typer.Option(
        "from_join", "--history", help="What a late joiner may read: from_join or all."
    ),
    home: Path = HOME,
) -> None:
    """Open a channel; its membership is recorded for every member to see."""
    with open_node(home) as node:
        receipt = node.open_channel(conf, channel, kind, member, now_ms(), history)
    console.print(f"channel {channel} opened as entry #{receipt['seq']}")


@channel_app.command("members")
def channel_members(
    conf: str = typer.Option(..., "--conf"),
    channel: str = typer.Option(..., "--channel"),
    add: list[str] = typer.Option([], "--add", help="A state to add (repeat)."),
    remove: list[str] = typer.Option([], "--remove", help="A state to remove (repeat)."),
    home: Path = HOME,
) -> None:
    """Add states to a group channel, or leave it (the chair may remove any state).
    The next message keys a new epoch: a state removed reads nothing said after."""
    with open_node(home) as node:
        receipt = node.change_members(conf, channel, add, remove, now_ms())
    console.print(f"membership of {channel} changed as entry #{receipt['seq']}")


@channel_app.command("rekey")
def channel_rekey(
    conf: str = typer.Option(..., "--conf"),
    channel: str = typer.Option("plenary", "--channel"),
    home: Path = HOME,
) -> None:
    """Key a new epoch of a channel now, sealed to its members' devices."""
    with open_node(home) as node:
        node.rekey(conf, channel, now_ms(), force=True)
        state = node.view(conf).state
        assert state is not None
        epoch = state.current_epoch(channel)
    assert epoch is not None
    console.print(
        f"{channel}: epoch {epoch.number} keyed for {len(epoch.recipients)} devices "
        f"(entry #{epoch.seq})"
    )


device_app = typer.Typer(help="This node's devices.", no_args_is_help=True)


@device_app.command("add")
def device_add(
    conf: str = typer.Option(..., "--conf"),
    name: str = typer.Option(..., "--name", help="What the device is, e.g. 'office laptop'."),
    home: Path = HOME,
) -> None:
    """Create this device's encryption key and announce it under your identity: your
    other devices and your delegation see it, and would be alerted to one added by
    someone else."""
    with open_node(home) as node:
        device = node.add_device(conf, name, now_ms())
    console.print(f"device '{name}' announced: {device.id()}")


@device_app.command("withdraw")
def device_withdraw(
    conf: str = typer.Option(..., "--conf"),
    device: str = typer.Option(..., "--device", help="The device's id (sha256:...)."),
    reason: str = typer.Option("withdrawn", "--reason"),
    home: Path = HOME,
) -> None:
    """Withdraw one of your devices: it is given no key of any later epoch."""
    with open_node(home) as node:
        receipt = node.withdraw_device(conf, device, reason, now_ms())
    console.print(f"device withdrawn as entry #{receipt['seq']}")


@device_app.command("list")
def device_list(conf: str = typer.Option(..., "--conf"), home: Path = HOME) -> None:
    """The devices announced for each delegate, and which are withdrawn."""
    with open_node(home) as node:
        state = node.view(conf).state
        held = {d.public.text for d in node.device_keys()}
    if state is None:
        return
    owners = {fp.key.text: fp.label() for fp in state.credentials.values()}
    owners[state.genesis.chair.key.text] = f"the chair ({state.genesis.chair.name})"
    for owner, devices in sorted(state.devices.items()):
        for seq, time_ms, name, key in devices:
            device_id = DevicePublicKey.parse(key).id()
            status = "withdrawn" if device_id in state.revoked_devices else "active"
            if key in held:
                status += " (this node)"
            console.print(
                f"{escape(owners.get(owner, owner))}: '{untrusted(name)}' {device_id}, "
                f"announced #{seq} at {format_time(time_ms)}: {status}",
                soft_wrap=True,
            )


def safety_number_cmd(
    conf: str = typer.Option(..., "--conf"),
    state: str = typer.Option(..., "--state"),
    delegate: str = typer.Option(..., "--delegate"),
    home: Path = HOME,
    quiet: bool = quiet_option("the safety number"),
) -> None:
    """The safety number to compare with another delegate, by telephone or in person."""
    with open_node(home) as node:
        fp, number = node.safety_number(conf, state, delegate)
        verified = node.is_verified(fp)
    if quiet:
        print_value(number)
        return
    console.print(f"safety number with {escape(fp.label())}:\n  [bold]{number}[/bold]")
    console.print(
        "[green]verified[/green]"
        if verified
        else "not verified yet: compare it, then run `accord contact verify`"
    )


contact_app = typer.Typer(help="Delegates you verified out of band.", no_args_is_help=True)


@contact_app.command("verify")
def contact_verify(
    conf: str = typer.Option(..., "--conf"),
    state: str = typer.Option(..., "--state"),
    delegate: str = typer.Option(..., "--delegate"),
    number: str = typer.Option(..., "--number", help="The safety number they read to you."),
    home: Path = HOME,
) -> None:
    """Mark a delegate verified; you are alerted if their key ever changes."""
    with open_node(home) as node:
        fp = node.mark_verified(conf, state, delegate, number)
    console.print(f"{escape(fp.label())} verified (key {fp.key.short})")


def post(
    conf: str = typer.Option(..., "--conf"),
    text: str = typer.Argument(...),
    channel: str = typer.Option("plenary", "--channel"),
    home: Path = HOME,
) -> None:
    """Sync, then encrypt, sign and post a message (to the plenary, or a channel),
    keying a new epoch of the channel first if one is due."""
    with open_node(home) as node:
        receipt = node.post(conf, text, now_ms(), channel)
    console.print(
        f"posted as entry #{receipt['seq']} (receipt time {format_time(receipt['time'])})"
    )


def publish_confirmation(
    conf: str = typer.Option(..., "--conf"), file: Path = typer.Argument(...), home: Path = HOME
) -> None:
    """Publish a state root's confirmation of a signature ad referendum."""
    with open_node(home) as node:
        receipt = node.negotiate(conf, ev.CONFIRMATION, {"confirmation": read_json(file)}, now_ms())
    console.print(f"confirmation published as entry #{receipt['seq']}")


def publish_revocation(
    conf: str = typer.Option(..., "--conf"), file: Path = typer.Argument(...), home: Path = HOME
) -> None:
    """Publish a state's signed revocation in a conference."""
    with open_node(home) as node:
        receipt = node.publish_revocation(conf, read_json(file), now_ms())
    console.print(f"revocation published as entry #{receipt['seq']}")


def sync(
    conf: list[str] = typer.Option([], "--conf", help="Default: every conference."),
    home: Path = HOME,
) -> None:
    """Fetch and verify everything new; a problem stops the sync and raises an alert."""
    failed = False
    with open_node(home) as node:
        confs = conf or [m.conf for m in node.replica.memberships()]
        with Progress(console=err, transient=True) as progress:
            for c in confs:
                known = {(a.seq, a.code) for a in node.replica.alerts(c)}
                task = progress.add_task(f"sync {c}", total=None)

                def advance(done: int, total: int, task: TaskID = task) -> None:
                    progress.update(task, completed=done, total=total)

                result = node.sync(c, advance)
                progress.remove_task(task)
                # Alerts raised along the way (a new device...); the one that stopped
                # the sync, if any, is printed below.
                stopped = (result.alert.seq, result.alert.code) if result.alert else None
                for a in node.replica.alerts(c):
                    if (a.seq, a.code) not in known and (a.seq, a.code) != stopped:
                        console.print(f"[red]ALERT[/red] {c}: ({a.code}) {untrusted(a.message)}")
                if result.alert is not None:
                    failed = True
                    alert = result.alert
                    console.print(
                        f"[red]ALERT[/red] {c}: ({alert.code}) {untrusted(alert.message)}"
                    )
                else:
                    console.print(f"{c}: {result.new} new entries verified, {result.after} in all")
                    # Members left, were revoked or changed devices: replace the
                    # keys of the channels this node reads, so they learn nothing new.
                    for channel in node.rekey_due(c, now_ms()):
                        console.print(f"{c}: new epoch key for channel {channel}")
                    for news in node.outcome_news(c):
                        console.print(f"{c}: {escape(news)}")
    if failed:
        raise typer.Exit(1)


def status(home: Path = HOME) -> None:
    """Conferences followed, their verified length, and alerts."""
    with open_node(home) as node:
        # Ids and addresses are folded, never cut short, on a narrow terminal or a pipe.
        table = Table(
            Column("conference", overflow="fold"), Column("relay", overflow="fold"),
            "entries", "delegates", "messages", "alerts",
        )  # fmt: skip
        for m in node.replica.memberships():
            view = node.view(m.conf)
            state = view.state
            alerts = node.replica.alerts(m.conf)
            table.add_row(
                m.conf, m.relay, str(view.length),
                str(len(state.credentials)) if state else "-",
                str(state.message_count) if state else "-",
                f"[red]{len(alerts)}[/red]" if alerts else "0",
            )  # fmt: skip
        console.print(table)
        for alert in node.replica.alerts():
            where = f" at #{alert.seq}" if alert.seq is not None else ""
            console.print(
                f"[red]ALERT[/red] {alert.conf}{where} ({alert.code}), "
                f"{format_time(alert.at)}: {untrusted(alert.message)}"
            )


def messages(conf: str = typer.Option(..., "--conf"), home: Path = HOME) -> None:
    """The messages of a conference, from the verified replica."""
    with open_node(home) as node:
        read = node.messages(conf)
    for r in read:
        console.print(message_line(r.message, r.text, r.problem))


def export_cmd(
    conf: str = typer.Option(..., "--conf"),
    out: Path = typer.Option(..., "--out"),
    home: Path = HOME,
) -> None:
    """Write the verified record to one file, closed by the relay's signed checkpoint."""
    with open_node(home) as node:
        lines = node.export(conf)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_record(out, lines)
    console.print(
        f"{len(lines) - 2} entries exported to {out}; check it with `accord verify {out}`"
    )
