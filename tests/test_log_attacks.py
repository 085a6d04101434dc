"""A sequencer (later, the relay) that replays, forks, reorders or rewrites is caught
(invariant I3)."""

from __future__ import annotations

import json

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.encoding import canonical, hash_tag, parse_hash
from accord.core.errors import Violation
from accord.core.log import make_receipt
from accord.core.record import verify_record
from tests.builders import OPAQUE, SECOND, World, key


def test_replaying_an_authors_latest_event() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = world.message(ana, "Once.", world.tick())
    first = world.submit(event)["seq"]
    with pytest.raises(Violation) as refused:
        world.submit(event)
    assert refused.value.code == "duplicate_event"
    report = verify_record(world.forced_lines([event]))
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("duplicate_event", first + 1)
    assert f"replay of #{first}" in report.problem.message


def test_replaying_an_older_event() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    first = world.message(ana, "First.", world.tick())
    world.submit(first)
    world.say(ana, "Second.")
    report = verify_record(world.forced_lines([first]))
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("chain_break", world.view.length)


def test_an_author_chain_that_forks() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    one = world.message(ana, "Version one.", world.tick())
    two = world.message(ana, "Version two.", world.tick())  # same prev: a fork
    world.submit(one)
    with pytest.raises(Violation) as refused:
        world.submit(two)
    assert refused.value.code == "chain_break"
    assert "forked" in refused.value.message


def test_dropping_an_authors_event_breaks_their_chain() -> None:
    # The relay drops Ana's first message but keeps her second one.
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    world.say(ana, "Dropped by the relay.")
    second = world.message(ana, "Kept.", world.tick())
    shadow = World()
    shadow.join("ARC", "Ana Reyes")
    report = verify_record(shadow.forced_lines([second]))
    assert report.problem is not None
    # Her second event cites a head the shadow log lacks: she saw more.
    assert (report.problem.code, report.problem.seq) == ("unknown_head", shadow.view.length)
    assert "dropped" in report.problem.message


def _split_worlds() -> tuple[World, World, Author, Author, Author, Author]:
    """The relay shows Arcadia branch X and Borduria branch Y after a common prefix."""
    x, y = World(), World()
    ax, bx = x.join("ARC", "Ana Reyes"), x.join("BOR", "Boris Vlk")
    ay, by = y.join("ARC", "Ana Reyes"), y.join("BOR", "Boris Vlk")
    # An identical prefix: genesis, the chair's device, two joins and their devices.
    assert x.lines()[:7] == y.lines()[:7]
    x.say(ax, "Arcadia sees this in X.")
    y.say(by, "Borduria sees this in Y.")
    return x, y, ax, bx, ay, by


def test_a_split_view_is_exposed_when_a_member_of_one_branch_writes() -> None:
    x, y, ax, _, _, _ = _split_worlds()
    # Ana writes on branch X, citing X's head; her event is carried over to Y.
    later = ax.say(x.view, "Arcadia continues.", x.tick())
    cited = x.view.length - 1
    with pytest.raises(Violation) as refused:
        y.submit(later)
    assert refused.value.code == "fork"
    report = verify_record(y.forced_lines([later]))
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("fork", y.view.length)
    assert "split view" in report.problem.message and f"#{cited}" in report.problem.message


def test_a_split_view_is_exposed_in_the_other_direction() -> None:
    x, y, _, _, _, by = _split_worlds()
    later = by.say(y.view, "Borduria continues.", y.tick())
    report = verify_record(x.forced_lines([later]))
    assert report.problem is not None
    assert report.problem.code == "fork"


def test_citing_an_older_head_than_before() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    world.say(ana, "Seen #1.")
    stale = ev.make_event(
        ana.key, conf=world.conf, type=ev.MESSAGE, body=OPAQUE, time=world.tick(),
        seen=ev.Seen(0, hash_tag(world.view.head_at(0))),
        prev=world.view.author_tip(ana.key.public.raw), cred=ana.cred,
    )  # fmt: skip
    with pytest.raises(Violation) as refused:
        world.submit(stale)
    assert refused.value.code == "seen_invalid"


def test_citing_a_head_from_the_future() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = ev.make_event(
        ana.key, conf=world.conf, type=ev.MESSAGE, body=OPAQUE, time=world.tick(),
        seen=ev.Seen(5, hash_tag(world.view.head)),
        prev=world.view.author_tip(ana.key.public.raw), cred=ana.cred,
    )  # fmt: skip
    with pytest.raises(Violation) as refused:
        world.submit(event)
    assert refused.value.code == "unknown_head"


def _rewrite_last_receipt(world: World, **changes: object) -> list[bytes]:
    lines = world.lines()[:-1]
    item = json.loads(lines[-1])
    receipt = {k: v for k, v in item["receipt"].items() if k != "sig"} | changes
    signer = changes.pop("signer", world.sequencer_key)
    receipt.pop("signer", None)
    item["receipt"] = make_receipt(signer, **{k: v for k, v in receipt.items() if k != "v"})  # type: ignore[arg-type]
    return [*lines[:-1], canonical(item) + b"\n"]


def test_a_receipt_signed_by_another_key() -> None:
    world = World()
    world.join("ARC", "Ana Reyes")
    item = json.loads(world.lines()[-2])
    r = item["receipt"]
    item["receipt"] = make_receipt(
        key("rogue sequencer"), conf=r["conf"], seq=r["seq"], event=r["event"],
        head=parse_hash(r["head"], "head"), time=r["time"],
    )  # fmt: skip
    report = verify_record([*world.lines()[:-2], canonical(item) + b"\n"])
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("bad_receipt", world.view.length - 1)


def test_a_sequencer_clock_that_goes_backwards() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = world.message(ana, "Hello.", world.tick())
    report = verify_record(world.forced_lines([event], receipt_time=world.clock - 60 * SECOND))
    assert report.problem is not None
    assert report.problem.code == "time_regression"


def test_a_receipt_whose_head_does_not_chain() -> None:
    world = World()
    world.join("ARC", "Ana Reyes")
    item = json.loads(world.lines()[-2])
    r = item["receipt"]
    item["receipt"] = make_receipt(
        world.sequencer_key, conf=r["conf"], seq=r["seq"], event=r["event"],
        head=bytes(32), time=r["time"],
    )  # fmt: skip
    report = verify_record([*world.lines()[:-2], canonical(item) + b"\n"])
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("head_mismatch", world.view.length - 1)
