"""The rules of `accord.core.verify`, one by one, at their edges.

Each test builds the smallest act that breaks (or just keeps) one rule and checks the
stable code and entry number the sequencer refuses it with and, where a rogue sequencer
could record it anyway, the code a verifier of that record reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core import authority
from accord.core import events as ev
from accord.core.author import Author, genesis_event
from accord.core.authority import MAX_DEVICES
from accord.core.encoding import hash_json, hash_tag, parse_hash
from accord.core.errors import AccordError, Violation
from accord.core.genesis import genesis_body
from accord.core.log import HEAD_BEFORE_GENESIS, make_receipt, next_head
from accord.core.record import verify_record
from accord.core.sealing import DeviceKey
from accord.core.sequencer import Sequencer
from accord.core.times import format_time
from accord.core.verify import (
    LogVerifier,
    _sequence_problem,
    check_genesis,
    fold,
)
from tests.builders import CONF, OPAQUE, SECOND, T0, World, key

SKEW = 300 * SECOND  # World's clock_skew_ms


# -- helpers ---------------------------------------------------------------------------
def violation(call: Callable[[], object], code: str, seq: int, words: str = "") -> Violation:
    """`call()` fails with `code` for entry `seq`, in a sentence that says `words`."""
    with pytest.raises(Violation) as exc:
        call()
    assert (exc.value.code, exc.value.seq) == (code, seq)
    assert words in exc.value.message
    return exc.value


def refused(world: World, event: dict[str, Any], code: str, *, forced: bool = True) -> Violation:
    """The sequencer refuses `event` with `code` at the next entry number; a record in
    which a rogue sequencer appended it anyway fails verification the same way."""
    seq = world.view.length
    found = violation(lambda: world.submit(event), code, seq, f"entry #{seq}")  # names it
    reason = found.message.split(": ", 1)[-1]
    assert len(reason.split()) >= 3, found.message  # and says why, in a sentence
    if forced:
        report = verify_record(world.forced_lines([event]))
        assert report.problem is not None
        assert (report.problem.code, report.problem.seq) == (code, seq)
        assert report.problem.message == found.message
    return found


def accepted(world: World, event: dict[str, Any]) -> int:
    seq = world.view.length
    assert world.submit(event)["seq"] == seq
    return seq


def device_event(
    world: World, author: Author, name: str, time: int | None = None
) -> dict[str, Any]:
    """`author` announces a fresh device (a key derived from `name`)."""
    device = DeviceKey.from_label(f"{world.label}{name} of {author.key.public.text}")
    when = world.clock if time is None else time
    return author.announce_device(world.view, device.public.text, name, when)


def raw_event(world: World, author: Author, time: int, **fields: Any) -> dict[str, Any]:
    """An event by `author` with its header fields given explicitly (by default a
    device announcement, with the header a well-behaved author would write)."""
    device = DeviceKey.from_label(f"{world.label}raw {time} {author.key.public.text}")
    values: dict[str, Any] = {
        "conf": world.conf,
        "type": ev.DEVICE,
        "body": {"device": device.public.text, "name": "raw"},
        "time": time,
        "seen": world.view.seen(),
        "prev": world.view.author_tip(author.key.public.raw),
        "cred": author.cred,
    }
    values.update(fields)
    return ev.make_event(author.key, **values)


def genesis_entry(world: World, **fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A first entry: a genesis (the world's, unless `fields` change it) and its receipt."""
    signer = fields.pop("signer", world.host)
    received = fields.pop("received", T0)
    values: dict[str, Any] = {
        "conf": world.conf,
        "type": ev.GENESIS,
        "body": world.genesis,
        "time": T0,
        "seen": None,
        "prev": None,
        "cred": None,
    }
    values.update(fields)
    event = ev.make_event(signer, **values)
    event_hash = ev.Event.parse(event).hash
    receipt = make_receipt(
        world.sequencer_key,
        conf=world.conf,
        seq=0,
        event=event_hash,
        head=next_head(HEAD_BEFORE_GENESIS, parse_hash(event_hash, "event hash")),
        time=received,
    )
    return event, receipt


def replayed(entries: list[tuple[dict[str, Any], dict[str, Any]]]) -> LogVerifier:
    verifier = LogVerifier()
    for event, receipt in entries:
        verifier.append(event, receipt)
    return verifier


def append_refused(
    verifier: LogVerifier, entry: tuple[Any, Any], code: str, seq: int, words: str | None = None
) -> None:
    """Appending `entry` fails with `code` for entry `seq`, in a sentence naming it (or
    saying `words`), and leaves the log as it was."""
    length = verifier.length
    violation(lambda: verifier.append(*entry), code, seq, words or f"#{seq}")
    assert verifier.length == length  # nothing of a refused entry is kept


# -- the genesis -----------------------------------------------------------------------
def test_a_log_starts_with_its_hosts_genesis() -> None:
    world = World()
    verifier = LogVerifier()
    assert verifier.length == 0 and verifier.head == HEAD_BEFORE_GENESIS
    assert verifier.seen() == ev.Seen(-1, hash_tag(bytes(32)))
    with pytest.raises(AccordError, match="no genesis yet"):
        verifier.genesis  # noqa: B018
    assert verifier.append(*genesis_entry(world)) == []
    assert verifier.genesis.host.key == world.host.public
    assert verifier.length == 1
    assert verifier.head == parse_hash(world.entries()[0][1]["head"], "head")
    assert verifier.seen() == ev.Seen(0, world.entries()[0][1]["head"])


def test_a_log_may_start_at_the_first_instant_of_the_clock() -> None:
    verifier = LogVerifier()
    verifier.append(*genesis_entry(World(), time=0, received=0))
    assert verifier.last_time == 0 and verifier.length == 1


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"signer": key("chair")}, id="signed-by-another-than-its-host"),
        pytest.param({"cred": "sha256:" + "A" * 43}, id="presents-a-credential"),
        pytest.param({"prev": "sha256:" + "A" * 43}, id="follows-an-event"),
        pytest.param({"seen": ev.Seen(0, "sha256:" + "A" * 43)}, id="cites-a-head"),
        pytest.param({"channel": "backroom"}, id="outside-the-plenary"),
    ],
)
def test_a_genesis_breaking_one_rule_is_bad(fields: dict[str, Any]) -> None:
    world = World()
    event, receipt = genesis_entry(world, **fields)
    append_refused(LogVerifier(), (event, receipt), "bad_genesis", 0)
    violation(lambda: Sequencer(world.sequencer_key, event, T0), "bad_genesis", 0)


def test_a_log_that_does_not_start_with_a_genesis() -> None:
    world = World()
    entries = world.entries()
    append_refused(LogVerifier(), entries[1], "genesis_missing", 0, "does not start with a genesis")
    join = ev.Event.parse(entries[1][0])
    missing = "does not start with a genesis"
    violation(lambda: LogVerifier().admit(join, 0, T0), "genesis_missing", 0, missing)


def test_a_genesis_admitted_anywhere_but_first_is_missing_the_genesis() -> None:
    world = World()
    genesis = ev.Event.parse(world.entries()[0][0])
    LogVerifier().admit(genesis, 0, T0)  # the genesis, first: fine
    missing = "does not start with a genesis"
    violation(lambda: LogVerifier().admit(genesis, 1, T0), "genesis_missing", 1, missing)


def test_a_genesis_is_checked_against_the_one_obtained_out_of_band() -> None:
    world = World()
    verifier = replayed(world.entries())
    genesis_hash = ev.Event.parse(world.entries()[0][0]).hash
    other = "sha256:" + "A" * 43
    check_genesis(verifier, genesis_hash)
    check_genesis(LogVerifier(), other)  # nothing to compare yet
    words = f"is {genesis_hash}, not the expected {other}"
    violation(lambda: check_genesis(verifier, other), "unexpected_genesis", 0, words)


def test_folding_an_empty_log_finds_no_genesis() -> None:
    violation(lambda: fold([]), "genesis_missing", 0, "empty")


def test_fold_keeps_messages_unless_told_not_to() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    world.say(ana, "Kept.")
    said = world.message_seqs()
    assert said and list(fold(world.entries()).messages) == said
    lean = fold(world.entries(), keep_messages=False)
    assert lean.messages == {} and lean.message_count == 1
    assert LogVerifier().keep_messages and not LogVerifier(keep_messages=False).keep_messages


def test_the_host_who_chairs_cites_the_genesis_in_its_first_act() -> None:
    # The genesis cites no head; the chair who is also the host cites #0 next.
    host, sequencer = key("host chair"), key("host chair sequencer")
    body = genesis_body(
        title="Hosted and chaired",
        host=("Secretariat", host.public),
        chair=("Secretariat", host.public),
        sequencer=sequencer.public,
        states=[{"code": "ARC", "name": "Arcadia", "root": key("r").public.text, "role": "member"}],
    )
    seq = Sequencer(sequencer, genesis_event(host, conf=CONF, genesis=body, time=T0), T0)
    chair = Author(host, CONF)
    device = DeviceKey.from_label("host chair device")
    event = chair.announce_device(seq.verifier, device.public.text, "desk", T0 + SECOND)
    assert ev.Event.parse(event).seen == ev.Seen(0, seq.verifier.seen().head)
    assert seq.submit(event, T0 + SECOND)["seq"] == 1


# -- the receipt -----------------------------------------------------------------------
def test_a_receipt_that_is_not_one_is_malformed() -> None:
    world = World()
    entries = world.entries()
    verifier = replayed(entries[:-1])
    append_refused(verifier, (entries[-1][0], {"v": 1}), "malformed", len(entries) - 1)
    append_refused(LogVerifier(), (entries[0][0], "receipt"), "malformed", 0)


def test_an_event_that_is_not_one_is_malformed() -> None:
    world = World()
    entries = world.entries()
    verifier = replayed(entries[:-1])
    append_refused(verifier, ({"v": 1}, entries[-1][1]), "malformed", len(entries) - 1)
    append_refused(LogVerifier(), ({"v": 1}, entries[0][1]), "malformed", 0)


def test_a_receipt_for_another_conference() -> None:
    world, other = World(), World(conf="other-conf")
    append_refused(
        LogVerifier(), (world.entries()[0][0], other.entries()[0][1]), "wrong_conference", 0
    )
    verifier = replayed(world.entries()[:1])
    event, receipt = world.entries()[1]
    forged = make_receipt(
        world.sequencer_key,
        conf="other-conf",
        seq=1,
        event=receipt["event"],
        head=parse_hash(receipt["head"], "head"),
        time=receipt["time"],
    )
    append_refused(verifier, (event, forged), "wrong_conference", 1)


def test_an_event_altered_after_its_receipt() -> None:
    world = World()
    world.join("ARC", "Ana Reyes")
    entries = world.entries()
    verifier = replayed(entries[:2])
    append_refused(verifier, (entries[3][0], entries[2][1]), "event_mismatch", 2)


def test_a_receipt_whose_head_does_not_follow_from_the_log() -> None:
    world = World()
    world.join("ARC", "Ana Reyes")
    entries = world.entries()
    event, receipt = entries[-1]
    rewritten = make_receipt(
        world.sequencer_key,
        conf=world.conf,
        seq=receipt["seq"],
        event=receipt["event"],
        head=parse_hash(entries[-2][1]["head"], "head"),
        time=receipt["time"],
    )
    append_refused(replayed(entries[:-1]), (event, rewritten), "head_mismatch", len(entries) - 1)


@pytest.mark.parametrize(
    ("kept", "next_index", "code", "seq"),
    [
        pytest.param(4, 3, "duplicate_entry", 3, id="the-last-entry-again"),
        pytest.param(4, 2, "out_of_order", 4, id="an-older-entry-again"),
        pytest.param(2, 3, "missing_entry", 2, id="an-entry-skipped"),
    ],
)
def test_entries_out_of_sequence(kept: int, next_index: int, code: str, seq: int) -> None:
    world = World()
    world.join("ARC", "Ana Reyes")
    entries = world.entries()
    assert len(entries) == 4  # genesis, chair's device, join, Ana's device
    append_refused(replayed(entries[:kept]), entries[next_index], code, seq)


@given(expected=st.integers(1, 10**6), found=st.integers(0, 10**6))
def test_each_sequence_problem_names_its_entry(expected: int, found: int) -> None:
    if found == expected:
        return
    problem = _sequence_problem(expected, found)
    if found == expected - 1:
        assert (problem.code, problem.seq) == ("duplicate_entry", found)
        assert f"entry #{found} appears twice" in problem.message
    elif found < expected:
        assert (problem.code, problem.seq) == ("out_of_order", expected)
        assert f"expected entry #{expected}, found #{found} again" in problem.message
    else:
        assert (problem.code, problem.seq) == ("missing_entry", expected)
        assert f"expected entry #{expected}, found #{found}:" in problem.message


def test_the_sequencer_clock_may_stand_still_but_not_go_back() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    last = world.view.last_time
    event = device_event(world, ana, "phone", last)
    assert verify_record(world.forced_lines([event], receipt_time=last)).ok
    report = verify_record(world.forced_lines([event], receipt_time=last - 1))
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("time_regression", world.view.length)
    assert f"entry #{world.view.length}: received at" in report.problem.message


# -- the header: conference, head cited, clock, chain ------------------------------------
def test_an_event_that_cites_no_head() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    refused(world, raw_event(world, ana, world.tick(), seen=None), "malformed")


def test_citing_the_head_of_ones_own_entry_is_citing_an_unknown_head() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    own = world.view.length
    event = raw_event(world, ana, world.tick(), seen=ev.Seen(own, hash_tag(world.view.head)))
    refused(world, event, "unknown_head")
    accepted(world, raw_event(world, ana, world.tick(), seen=world.view.seen()))


def test_citing_a_head_this_log_does_not_have_is_a_fork() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    latest = world.view.length - 1
    wrong = ev.Seen(latest, hash_tag(world.view.head_at(latest - 1)))
    refused(world, raw_event(world, ana, world.tick(), seen=wrong), "fork")
    accepted(world, raw_event(world, ana, world.tick(), seen=world.view.seen()))


def test_citing_the_same_head_as_before_is_fine_an_older_one_is_not() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")  # Ana's device announcement cites #2
    cited = ev.Seen(2, hash_tag(world.view.head_at(2)))
    assert ev.Event.parse(world.entries()[-1][0]).seen == cited
    world.add_device(world.chair, "tablet")
    earlier = ev.Seen(1, hash_tag(world.view.head_at(1)))
    refused(world, raw_event(world, ana, world.tick(), seen=earlier), "seen_invalid")
    accepted(world, raw_event(world, ana, world.tick(), seen=cited))


def test_an_authors_first_event_follows_none_of_theirs() -> None:
    world = World()
    k, cred = world.credential("ARC", "Ana Reyes")
    ana = world.member(k)
    tip = world.view.author_tip(world.chair.key.public.raw)
    assert tip is not None and world.view.author_tip(k.public.raw) is None
    ana.cred = hash_json(cred)
    body = {"credential": cred}
    refused(
        world, raw_event(world, ana, world.tick(), type=ev.JOIN, body=body, prev=tip), "chain_break"
    )
    accepted(world, raw_event(world, ana, world.tick(), type=ev.JOIN, body=body))


def test_an_author_cannot_restart_their_chain() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = raw_event(
        world,
        ana,
        world.tick(),
        type=ev.DEVICE_REVOCATION,
        prev=None,
        body={"device": "sha256:" + "A" * 43, "reason": "lost"},
    )
    restart = refused(world, event, "chain_break")
    assert "restarts Ana Reyes (ARC)'s chain" in restart.message


@pytest.mark.parametrize(
    ("dated", "received", "code"),
    [
        pytest.param(0, SKEW, None, id="dated-exactly-the-allowance-before"),
        pytest.param(0, SKEW + 1, "stale_event", id="dated-1ms-more-before"),
        pytest.param(SKEW, 0, None, id="dated-exactly-the-allowance-after"),
        pytest.param(SKEW + 1, 0, "future_time", id="dated-1ms-more-after"),
    ],
)
def test_the_clock_skew_allowance(dated: int, received: int, code: str | None) -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    base = world.tick()
    event = device_event(world, ana, "phone", base + dated)
    world.clock = base + received
    if code is None:
        accepted(world, event)
        assert world.view.last_time == base + received
    else:
        refused(world, event, code)


# -- credentials at the edges of their validity -----------------------------------------
def test_full_powers_are_valid_from_their_first_millisecond() -> None:
    world = World()
    start = world.clock + 60 * SECOND
    k, cred = world.credential("ARC", "Ana Reyes", not_before=start)
    ana = world.member(k)
    world.clock = start - 1
    early = refused(world, ana.join(world.view, cred, world.clock), "not_yet_valid")
    assert f"Ana Reyes (ARC)'s full powers are valid only from {format_time(start)}" in (
        early.message
    )
    world.clock = start
    accepted(world, ana.join(world.view, cred, world.clock))


def test_full_powers_expire_at_their_last_instant() -> None:
    world = World()
    end = world.clock + 60 * SECOND
    k, cred = world.credential("ARC", "Ana Reyes", not_after=end)
    ana = world.member(k)
    world.clock = end
    late = refused(world, ana.join(world.view, cred, world.clock), "expired")
    assert f"Ana Reyes (ARC)'s full powers expired at {format_time(end)}" in late.message
    world.clock = end - 1
    accepted(world, ana.join(world.view, cred, world.clock))
    world.clock = end
    refused(world, device_event(world, ana, "phone"), "expired")


def test_a_revocation_takes_effect_at_its_instant() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    at = world.clock + 60 * SECOND
    world.submit(
        world.chair.publish_revocation(world.view, world.revoke("ARC", ana, at), world.tick())
    )
    world.clock = at - 1
    accepted(world, device_event(world, ana, "phone"))
    world.clock = at
    gone = refused(world, device_event(world, ana, "tablet"), "revoked")
    assert (
        f"Ana Reyes (ARC)'s full powers were revoked by ARC as of {format_time(at)}" in gone.message
    )


# -- joining ---------------------------------------------------------------------------
def test_full_powers_are_presented_once() -> None:
    world = World()
    k, cred = world.credential("ARC", "Ana Reyes")
    ana = world.member(k)
    accepted(world, ana.join(world.view, cred, world.tick()))
    refused(world, ana.join(world.view, cred, world.tick()), "already_joined")


def test_a_join_must_present_the_credential_it_carries() -> None:
    world = World()
    k, cred = world.credential("ARC", "Ana Reyes")
    ana = world.member(k)
    event = raw_event(
        world, ana, world.tick(), type=ev.JOIN, body={"credential": cred}, cred="sha256:" + "A" * 43
    )
    refused(world, event, "malformed")


def test_only_the_chair_tables_texts_and_opens_and_closes_decisions() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    world.rekey_if_needed(world.chair)
    for kind in (ev.DECISION, ev.CLOSE):
        body = OPAQUE | {"epoch": 1}
        chair_only = refused(world, ana.event(world.view, kind, body, world.tick()), "chair_only")
        assert f"only the chair may post a {kind} act" in chair_only.message
    # A text: the chair's, or a facilitator's (12.8); Arcadia is none.
    event = ana.event(world.view, ev.TEXT, OPAQUE | {"epoch": 1}, world.tick())
    assert "Arcadia" not in refused(world, event, "chair_only").message
    assert "ARC is not a facilitator" in refused(world, event, "chair_only").message


# -- revocations -----------------------------------------------------------------------
def test_a_revocation_must_be_signed_by_the_states_accredited_root() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    assert ana.cred is not None
    from accord.core.credentials import revoke

    forged = revoke(
        key("a forged root"), state="ARC", credential=ana.cred, revoked_at=T0, reason="forged"
    )
    event = world.chair.publish_revocation(world.view, forged, world.tick())
    refused(world, event, "wrong_root")
    stranger = revoke(
        key("root ZEM"), state="ZEM", credential=ana.cred, revoked_at=T0, reason="not ours"
    )
    refused(world, world.chair.publish_revocation(world.view, stranger, world.tick()), "wrong_root")
    # A state may revoke full powers of its own not (yet) presented here.
    k, cred = world.credential("ARC", "Alt")
    ahead = revoke(
        world.roots["ARC"],
        state="ARC",
        credential=hash_json(cred),
        revoked_at=T0,
        reason="withdrawn before use",
    )
    accepted(world, world.chair.publish_revocation(world.view, ahead, world.tick()))
    refused(world, world.member(k).join(world.view, cred, world.tick()), "revoked")


# -- devices ---------------------------------------------------------------------------
def test_an_identity_holds_at_most_max_devices_active_devices() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes", device=False)
    for n in range(MAX_DEVICES):
        accepted(world, device_event(world, ana, f"device {n}", world.tick()))
    refused(world, device_event(world, ana, "one too many", world.tick()), "device_rule")
    withdrawn = world.view.state.device_ids  # type: ignore[union-attr]
    first = next(d for d, (owner, _) in withdrawn.items() if owner == ana.key.public.text)
    accepted(world, ana.withdraw_device(world.view, first, "lost", world.tick()))
    accepted(world, device_event(world, ana, "replacement", world.tick()))


def test_the_plenary_holds_at_most_max_recipients_reading_devices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = World(observers=["EU"], observer_access="none")
    ana = world.join("ARC", "Ana Reyes", device=False)
    eu = world.join("EU", "Observer", device=False)
    monkeypatch.setattr(authority, "MAX_RECIPIENTS", 2)  # the chair's device is the first
    accepted(world, device_event(world, ana, "laptop", world.tick()))
    refused(world, device_event(world, ana, "phone", world.tick()), "device_rule", forced=False)
    # Devices of an identity that does not read the plenary do not count.
    accepted(world, device_event(world, eu, "laptop", world.tick()))


def test_a_device_is_withdrawn_once_and_by_its_owner() -> None:
    world = World()
    ana, boris = world.join("ARC", "Ana Reyes"), world.join("BOR", "Boris Vlk")
    assert world.view.state is not None
    mine = next(d for d, (o, _) in world.view.state.device_ids.items() if o == ana.key.public.text)
    refused(world, boris.withdraw_device(world.view, mine, "not mine", world.tick()), "device_rule")
    refused(
        world,
        ana.withdraw_device(world.view, "sha256:" + "A" * 43, "never", world.tick()),
        "device_rule",
    )
    accepted(world, ana.withdraw_device(world.view, mine, "lost", world.tick()))
    refused(world, ana.withdraw_device(world.view, mine, "again", world.tick()), "device_rule")


# -- channels, keys and encrypted acts --------------------------------------------------
def test_negotiation_acts_go_in_the_plenary() -> None:
    world = World()
    ana, _ = world.join("ARC", "Ana Reyes"), world.join("BOR", "Boris Vlk")
    world.submit(ana.open_channel(world.view, "arc-bor", "bilateral", ["ARC", "BOR"], world.tick()))
    world.say(ana, "Fine here.", channel="arc-bor")
    refused(
        world,
        ana.event(world.view, ev.AMEND, OPAQUE, world.tick(), channel="arc-bor"),
        "channel_rule",
    )


def test_only_who_reads_a_channel_gives_out_its_key() -> None:
    world = World(observers=["EU"], observer_access="none")
    eu = world.join("EU", "Observer")  # observers here do not read the plenary
    refused(world, eu.rekey(world.view, world.tick()), "not_channel_member")
    ana = world.join("ARC", "Ana Reyes")
    accepted(world, ana.rekey(world.view, world.tick()))


def test_content_under_a_superseded_epoch_is_refused() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    world.say(ana, "Under epoch 1.")
    accepted(world, world.chair.rekey(world.view, world.tick()))
    assert world.view.state is not None
    assert world.view.state.current_epoch(ev.PLENARY).number == 2  # type: ignore[union-attr]
    refused(world, ana.event(world.view, ev.MESSAGE, OPAQUE, world.tick()), "wrong_epoch")
    ahead = OPAQUE | {"epoch": 3}
    refused(world, ana.event(world.view, ev.MESSAGE, ahead, world.tick()), "wrong_epoch")


def test_content_before_any_key_is_stale_not_a_wrong_epoch() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    refused(world, ana.event(world.view, ev.MESSAGE, OPAQUE, world.tick()), "stale_epoch")


def _channel_world() -> tuple[World, Author, Author, Author]:
    world = World(observers=["EU"])
    ana, boris, carla = (
        world.join(c, n) for c, n in [("ARC", "Ana"), ("BOR", "Boris"), ("CAL", "Carla")]
    )
    world.join("EU", "Observer")
    world.submit(ana.open_channel(world.view, "grp", "group", ["ARC", "BOR"], world.tick()))
    world.submit(ana.open_channel(world.view, "bil", "bilateral", ["ARC", "BOR"], world.tick()))
    return world, ana, boris, carla


def _change(world: World, who: Author, channel: str, **change: list[str]) -> dict[str, Any]:
    """`who` changes the members of `channel` (`add=`, `remove=`), at the world's next tick."""
    return who.change_members(world.view, channel, world.tick(), **change)


def test_membership_changes_go_in_the_plenary() -> None:
    world, ana, _, _ = _channel_world()
    body = {"channel": "grp", "add": ["CAL"], "remove": []}
    refused(
        world, ana.event(world.view, ev.MEMBERSHIP, body, world.tick(), channel="grp"), "malformed"
    )


def test_membership_of_a_channel_that_does_not_exist() -> None:
    world, ana, _, _ = _channel_world()
    refused(world, _change(world, ana, "nowhere", add=["CAL"]), "unknown_channel")


def test_only_group_channels_change_members() -> None:
    world, ana, _, _ = _channel_world()
    refused(world, _change(world, ana, "bil", add=["CAL"]), "channel_rule")


def test_only_a_member_changes_a_channels_members() -> None:
    world, _, _, carla = _channel_world()
    refused(world, _change(world, carla, "grp", add=["CAL"]), "not_channel_member")
    refused(world, _change(world, world.chair, "grp", add=["CAL"]), "not_channel_member")


# In "grp" (opened by ARC, with BOR) a delegation's change is refused and the same change
# by another accepted; in "cg" (opened by the chair, for ARC and BOR) the chair's change
# is accepted; the members of both afterwards.
@pytest.mark.parametrize(
    ("change", "refused_by", "accepted_by", "grp_after", "chair_change", "cg_after"),
    [
        pytest.param(
            {"add": ["CAL"]}, "BOR", "ARC", ("ARC", "BOR", "CAL"),
            {"add": ["CAL"]}, ("ARC", "BOR", "CAL"),
            id="only-the-opener-or-the-chair-sitting-in-it-adds-states",
        ),
        pytest.param(
            {"remove": ["BOR"]}, "ARC", "BOR", ("ARC",),
            {"remove": ["ARC"]}, ("BOR",),
            id="a-delegation-leaves-a-channel-only-the-chair-removes-another",
        ),
    ],
)  # fmt: skip
def test_who_changes_a_channels_members(
    change: dict[str, list[str]],
    refused_by: str,
    accepted_by: str,
    grp_after: tuple[str, ...],
    chair_change: dict[str, list[str]],
    cg_after: tuple[str, ...],
) -> None:
    world, ana, boris, _ = _channel_world()
    delegation = {"ARC": ana, "BOR": boris}
    refused(world, _change(world, delegation[refused_by], "grp", **change), "channel_rule")
    accepted(world, _change(world, delegation[accepted_by], "grp", **change))
    world.submit(world.chair.open_channel(world.view, "cg", "group", ["ARC", "BOR"], world.tick()))
    accepted(world, _change(world, world.chair, "cg", **chair_change))
    assert world.view.state is not None
    assert world.view.state.channels["grp"].spec.members == grp_after
    assert world.view.state.channels["cg"].spec.members == cg_after


@pytest.mark.parametrize(
    "state",
    [
        pytest.param("ZEM", id="not-accredited"),
        pytest.param("EU", id="an-observer"),
        pytest.param("BOR", id="already-a-member"),
    ],
)
def test_only_accredited_members_not_yet_in_it_are_added(state: str) -> None:
    world, ana, _, _ = _channel_world()
    refused(world, _change(world, ana, "grp", add=[state]), "channel_rule")


def test_removing_a_state_that_is_not_a_member() -> None:
    world, ana, _, _ = _channel_world()
    refused(world, _change(world, ana, "grp", remove=["CAL"]), "channel_rule")
    world.submit(world.chair.open_channel(world.view, "cg", "group", ["ARC", "BOR"], world.tick()))
    chair = _change(world, world.chair, "cg", remove=["CAL"])
    assert "CAL is not a member of 'cg'" in refused(world, chair, "channel_rule").message


def test_channels_are_created_in_the_plenary_once() -> None:
    world, ana, _, _ = _channel_world()
    spec = {"channel": "new", "kind": "group", "members": ["ARC", "BOR"], "history": "all"}
    refused(
        world, ana.event(world.view, ev.CHANNEL, spec, world.tick(), channel="grp"), "malformed"
    )
    refused(
        world,
        ana.open_channel(world.view, "grp", "group", ["ARC", "CAL"], world.tick()),
        "channel_exists",
    )
    accepted(world, ana.open_channel(world.view, "new", "group", ["ARC", "CAL"], world.tick()))


@pytest.mark.parametrize(
    ("kind", "members"),
    [
        pytest.param("group", ["ARC", "ZEM"], id="a-state-not-accredited"),
        pytest.param("group", ["ARC", "EU"], id="an-observer"),
        pytest.param("consultation", ["ARC"], id="a-consultation-by-a-delegation"),
        pytest.param("bilateral", ["BOR", "CAL"], id="a-channel-without-its-opener"),
    ],
)
def test_a_delegation_opens_a_channel_of_member_states_it_sits_in(
    kind: str, members: list[str]
) -> None:
    world, ana, _, _ = _channel_world()
    refused(world, ana.open_channel(world.view, "new", kind, members, world.tick()), "channel_rule")


def test_the_chair_opens_any_channel_of_member_states() -> None:
    world, _, _, _ = _channel_world()
    chair = world.chair
    accepted(world, chair.open_channel(world.view, "c1", "consultation", ["CAL"], world.tick()))
    accepted(world, chair.open_channel(world.view, "c2", "bilateral", ["BOR", "CAL"], world.tick()))
    refused(
        world,
        chair.open_channel(world.view, "c3", "group", ["ARC", "EU"], world.tick()),
        "channel_rule",
    )


# -- signatures ------------------------------------------------------------------------
def _entry_after(world: World, event: dict[str, Any], signer: Any = None) -> tuple[Any, Any]:
    """`event` and the receipt a sequencer (`signer`, by default the world's) would give
    it as the next entry, its signature unchecked."""
    event_hash = ev.Event.parse(event, check_signature=False).hash
    head = next_head(world.view.head, parse_hash(event_hash, "event hash"))
    receipt = make_receipt(
        signer or world.sequencer_key,
        conf=world.conf,
        seq=world.view.length,
        event=event_hash,
        head=head,
        time=world.clock,
    )
    return event, receipt


def test_an_event_not_signed_by_its_author_is_reported_as_such() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    event = device_event(world, ana, "phone", world.tick())
    unsigned = {k: v for k, v in event.items() if k != "sig"}
    forged = key("not Ana").sign_object("event", unsigned)
    entry = _entry_after(world, forged)
    seq = world.view.length
    append_refused(replayed(world.entries()), entry, "bad_signature", seq, f"entry #{seq}")


def test_a_receipt_not_signed_by_the_sequencer_is_reported_as_such() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    entry = _entry_after(world, device_event(world, ana, "phone", world.tick()), key("rogue"))
    seq = world.view.length
    append_refused(replayed(world.entries()), entry, "bad_receipt", seq, f"entry #{seq}")


# -- epochs ----------------------------------------------------------------------------
def test_an_epoch_keyed_out_of_turn() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    first, second = world.chair.rekey(world.view, world.tick()), ana.rekey(world.view, world.tick())
    accepted(world, first)
    refused(world, second, "epoch_sequence")


def test_an_epoch_sealed_to_devices_other_than_the_readers() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    early = ana.rekey(world.view, world.tick())
    world.join("BOR", "Boris Vlk")  # a new reading device
    refused(world, early, "epoch_recipients")
    accepted(world, ana.rekey(world.view, world.tick()))


def _epoch(world: World, author: Author, channel: str, number: int, linked: bool) -> Any:
    from accord.core.epochs import epoch_body

    assert author.keyring is not None and world.view.state is not None
    keyring = author.keyring
    body = epoch_body(
        keyring.new_key(),
        world.view.state.reader_keys(channel, world.tick()),
        conf=world.conf,
        channel=channel,
        epoch=number,
        previous_key=keyring.new_key() if linked else None,
        seal=keyring.seal,
        nonce=keyring.nonce(),
    )
    return author.event(world.view, ev.EPOCH, body, world.clock, channel)


def test_epochs_link_to_the_previous_key_where_the_whole_history_is_kept() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes")
    refused(world, _epoch(world, ana, ev.PLENARY, 1, linked=True), "channel_rule")
    accepted(world, _epoch(world, ana, ev.PLENARY, 1, linked=False))
    refused(world, _epoch(world, ana, ev.PLENARY, 2, linked=False), "channel_rule")
    accepted(world, _epoch(world, ana, ev.PLENARY, 2, linked=True))


def test_epochs_do_not_link_where_members_read_from_their_joining() -> None:
    world, ana, _, _ = _channel_world()  # "grp" keeps history from_join
    accepted(world, _epoch(world, ana, "grp", 1, linked=False))
    refused(world, _epoch(world, ana, "grp", 2, linked=True), "channel_rule")
    accepted(world, _epoch(world, ana, "grp", 2, linked=False))


def test_only_members_act_in_a_channel() -> None:
    world, _, _, carla = _channel_world()
    outsider = world.message(carla, "May I?", world.tick(), "grp")
    assert "CAL is not a member of channel 'grp'" in (
        refused(world, outsider, "not_channel_member").message
    )
    chair = world.chair.event(world.view, ev.MESSAGE, OPAQUE, world.tick(), channel="grp")
    assert "the chair is not a member" in refused(world, chair, "not_channel_member").message


def test_a_device_key_is_announced_once() -> None:
    world = World()
    ana = world.join("ARC", "Ana Reyes", device=False)
    first = accepted(world, device_event(world, ana, "laptop", world.tick()))
    again = refused(world, device_event(world, ana, "laptop", world.tick()), "duplicate_device")
    assert f"already announced (#{first})" in again.message
