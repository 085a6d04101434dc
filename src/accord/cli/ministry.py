"""A ministry's commands: its state's root key, and the full powers, revocations and
confirmations it signs with it (the keys stay in the ministry's node)."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.common import HOME, console, open_node, print_value, quiet_option, write_json
from accord.core.credentials import FullPowers, Revocation, confirm
from accord.core.keys import PublicKey, fingerprint
from accord.infra.clock import now_ms

root_app = typer.Typer(help="A ministry's state root key.", no_args_is_help=True)
powers_app = typer.Typer(
    help="Full powers: issue and revoke (with a root key).", no_args_is_help=True
)


@root_app.command("create")
def root_create(
    state: str = typer.Argument(..., help="ISO 3166 alpha-3 or organisation code"),
    home: Path = HOME,
    quiet: bool = quiet_option("the root key"),
) -> None:
    """Create the root key of a state; publish its fingerprint out of band."""
    with open_node(home) as node:
        key = node.create_root(state)
    if quiet:
        print_value(key.text)
        return
    console.print(f"root key of {state}: {key.text}")
    console.print(f"fingerprint: {fingerprint(key)}")


@powers_app.command("issue")
def powers_issue(
    state: str = typer.Option(..., "--state"),
    delegate: str = typer.Option(..., "--delegate", help="The delegate's name."),
    key: str = typer.Option(..., "--key", help="The delegate's identity key (ed25519:...)."),
    power: list[str] = typer.Option(..., "--power", help="negotiate, adopt or sign; repeat."),
    conference: list[str] = typer.Option(..., "--conference", help="Conference id; repeat."),
    days: int = typer.Option(30, "--days", help="Valid for this many days from now."),
    office: str | None = typer.Option(
        None,
        "--office",
        help="head_of_state, head_of_government or "
        "minister_for_foreign_affairs: acts in virtue of their functions (VCLT art. 7(2)), "
        "in any conference, with every power",
    ),
    out: Path = typer.Option(..., "--out", help="Where to write the signed full powers."),
    home: Path = HOME,
    quiet: bool = quiet_option("the full powers' id"),
) -> None:
    """Sign full powers for a delegate with the state's root key."""
    with open_node(home) as node:
        credential = node.issue_powers(
            state, delegate, PublicKey.parse(key), power, conference, now_ms(), days, office
        )
    write_json(out, credential)
    if quiet:
        print_value(FullPowers.parse(credential).id)
        return
    console.print(f"full powers {FullPowers.parse(credential).id} written to {out}")


@powers_app.command("revoke")
def powers_revoke(
    state: str = typer.Option(..., "--state"),
    credential: str = typer.Option(..., "--credential", help="The full powers' id (sha256:...)."),
    reason: str = typer.Option(..., "--reason"),
    out: Path = typer.Option(..., "--out"),
    home: Path = HOME,
    quiet: bool = quiet_option("the revocation's id"),
) -> None:
    """Sign a revocation, effective now; publish it with `accord publish-revocation`."""
    with open_node(home) as node:
        revocation = node.revoke_powers(state, credential, reason, now_ms())
    write_json(out, revocation)
    if quiet:
        print_value(Revocation.parse(revocation).id)
        return
    console.print(f"revocation {Revocation.parse(revocation).id} written to {out}")


@powers_app.command("confirm")
def powers_confirm(
    state: str = typer.Option(..., "--state"),
    signature: str = typer.Option(
        ...,
        "--signature",
        help="The signature act's id (sha256:..., as `accord signature` printed it).",
    ),
    out: Path = typer.Option(..., "--out"),
    home: Path = HOME,
) -> None:
    """Confirm a signature made ad referendum by your state's delegate (VCLT art.
    12(2)(b)); publish it with `accord publish-confirmation`."""
    full = signature if signature.startswith("sha256:") else "sha256:" + signature
    from accord.node.session import root_label  # noqa: PLC0415

    with open_node(home) as node:
        confirmation = confirm(
            node.keystore.get(root_label(state)), state=state, signature=full,
            confirmed_at=now_ms(),
        )  # fmt: skip
    write_json(out, confirmation)
    console.print(f"confirmation of {full} written to {out}")
