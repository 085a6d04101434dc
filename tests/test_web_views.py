"""What the pages compute from the record, without a browser: the messages of a channel
as a conversation (turns by author, the first unseen message marked once)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from accord.node.web.views import MessageView, conversation


def message(seq: int, author: str) -> MessageView:
    return MessageView(seq, "2026-12-03 10:00 UTC", author, f"message {seq}", None, None)


@given(
    st.lists(st.sampled_from(["ARC", "BOR", "CAL"]), max_size=30),
    st.integers(min_value=-1, max_value=31),
)
def test_a_channel_reads_as_turns_with_the_first_unseen_message_marked(
    authors: list[str], seen: int
) -> None:
    items = [message(seq, a) for seq, a in enumerate(authors)]
    turns = conversation(items, seen)
    # Nothing lost, nothing reordered; one author per turn, turns alternate authors.
    assert [m for t in turns for m in t.messages] == items
    assert all(m.author == t.author for t in turns for m in t.messages)
    assert all(a.author != b.author for a, b in pairwise(turns))
    # The first message after the read mark is marked, and only it.
    marked = [t.messages[t.first_new] for t in turns if t.first_new is not None]
    unseen = [m for m in items if m.seq > seen]
    assert marked == unseen[:1]


def test_consecutive_messages_of_one_author_are_one_turn() -> None:
    items = [message(0, "ARC"), message(1, "ARC"), message(2, "BOR"), message(3, "ARC")]
    turns = conversation(items, seen=0)
    assert [(t.author, len(t.messages), t.first_new) for t in turns] == [
        ("ARC", 2, 1), ("BOR", 1, None), ("ARC", 1, None)
    ]  # fmt: skip
