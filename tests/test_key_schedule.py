"""Property test of the key schedule: for random sequences of joins, departures, removals,
device changes and messages, each member reads exactly the messages it should.

The model is stated in terms of membership, not epochs: at the moment a message is sent,
the *readers* are the delegates entitled to the channel (joined, not revoked, of a member
state of the channel) who have at least one device not withdrawn. A delegate can read a
message if and only if it was a reader when it was sent, or, in a channel that keeps its
whole history, it was a reader when some later message of the channel was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core import events as ev
from accord.core.author import Author
from accord.core.epochs import NoKeyError
from tests.builders import World

STATES = ("ARC", "BOR", "CAL", "DUN")
GROUP = "wg"


@dataclass
class Delegate:
    code: str  # the delegate's state
    author: Author
    devices: list[str] = field(default_factory=list)  # ids of devices not withdrawn
    revoked: bool = False
    added: int = 0


@dataclass
class Model:
    world: World
    history: str
    delegates: dict[str, Delegate] = field(default_factory=dict)
    group: set[str] = field(default_factory=lambda: {"ARC", "BOR"})
    sent: list[tuple[int, str, frozenset[str]]] = field(
        default_factory=list
    )  # seq, channel, readers

    def readers(self, channel: str) -> frozenset[str]:
        return frozenset(
            name for name, d in self.delegates.items()
            if not d.revoked and d.devices and (channel == ev.PLENARY or d.code in self.group)
        )  # fmt: skip

    def current(self, code: str) -> Delegate | None:
        """The state's delegate not revoked, if any."""
        return next((d for d in self.delegates.values() if d.code == code and not d.revoked), None)

    def may_read(self, name: str, seq: int, channel: str) -> bool:
        later = [r for s, c, r in self.sent if c == channel and s >= seq]
        history = "all" if channel == ev.PLENARY else self.history
        if history == "all":
            return any(name in r for r in later)
        return name in later[0]


OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "join",
                "device",
                "withdraw",
                "revoke",
                "add",
                "leave",
                "say",
                "say",
                "say_wg",
                "say_wg",
            ]
        ),
        st.sampled_from(STATES),
    ),
    min_size=1,
    max_size=30,
)


def _rekey(model: Model, channel: str) -> None:
    """Key a new epoch if due, by the first reader that can (one holding the current key
    where the channel links its history), as nodes do when they sync."""
    world = model.world
    state = world.view.state
    assert state is not None
    if state.epoch_problem(channel, world.clock + 1000) is None:
        return
    readers = model.readers(channel)
    keyers = [d.author for name, d in model.delegates.items() if name in readers]
    for author in [*keyers, world.chair]:  # the chair sits in both channels
        try:
            world.submit(author.rekey(world.view, world.tick(), channel))
            return
        except NoKeyError:
            continue
    raise AssertionError("no reader could key the channel")


def _join(model: Model, code: str) -> None:
    name = f"{code} delegate {sum(d.code == code for d in model.delegates.values()) + 1}"
    author = model.world.join(code, name, device=False)
    model.delegates[name] = Delegate(code, author)
    _apply(model, "device", code)


def _apply(model: Model, op: str, code: str) -> None:
    world = model.world
    d = model.current(code)
    if op == "join":  # a new delegate of a state whose delegate was revoked: a late joiner
        if d is None:
            _join(model, code)
    elif d is None:
        return
    elif op == "device":
        d.added += 1
        device = world.add_device(d.author, f"device {d.added}")
        d.devices.append(device.public.id())
    elif op == "withdraw" and d.devices:
        world.submit(d.author.withdraw_device(world.view, d.devices.pop(0), "lost", world.tick()))
    elif op == "revoke":
        revocation = world.revoke(code, d.author, world.tick())
        world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
        d.revoked = True
    elif op == "add" and code not in model.group:
        # The chair opened the group, so it sits in it and may add states.
        world.submit(world.chair.change_members(world.view, GROUP, world.tick(), add=[code]))
        model.group.add(code)
    elif op == "leave" and code in model.group:
        world.submit(d.author.change_members(world.view, GROUP, world.tick(), remove=[code]))
        model.group.discard(code)
    elif op in ("say", "say_wg"):
        channel = ev.PLENARY if op == "say" else GROUP
        name = next(n for n, x in model.delegates.items() if x is d)
        if name not in model.readers(channel):
            return
        _rekey(model, channel)
        world.submit(d.author.say(world.view, f"{name} speaks", world.tick(), channel))
        model.sent.append((world.view.length - 1, channel, model.readers(channel)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS, history=st.sampled_from(["from_join", "all"]))
def test_each_member_reads_exactly_what_it_should(ops: list[tuple[str, str]], history: str) -> None:
    world = World(states=STATES)
    model = Model(world, history)
    world.submit(
        world.chair.open_channel(world.view, GROUP, "group", ["ARC", "BOR"], world.tick(), history)
    )
    for code in STATES:
        _join(model, code)
    for op, code in ops:
        _apply(model, op, code)
    state = world.view.state
    assert state is not None
    for seq, channel, _ in model.sent:
        for name, d in model.delegates.items():
            assert d.author.keyring is not None
            try:
                text = d.author.keyring.read_message(state, seq)
            except NoKeyError:
                text = None
            expected = model.may_read(name, seq, channel)
            assert (text is not None) == expected, (name, seq, channel, ops)
            if text is not None:
                assert text.endswith(" speaks")
