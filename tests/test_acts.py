"""The act builders the command line and the web interface share refuse, with the
reason, what every member's fold would otherwise flag as without effect."""

from __future__ import annotations

import pytest

from accord.core.errors import AccordError
from accord.core.texts import Version
from accord.node import acts

CURRENT = Version.parse({
    "text": "poc", "version": 2, "title": "Arrangement",
    "paragraphs": [{"id": "op1", "kind": "operative", "number": "1",
                    "segments": ["Each State shall name a point of contact."]}],
})  # fmt: skip


def test_an_amendment_is_built_against_the_current_version() -> None:
    content = acts.amendment(CURRENT, "op1", "replace_words", "shall", "should")
    assert (content["text"], content["version"], content["old"]) == ("poc", 2, "shall")


@pytest.mark.parametrize(
    ("paragraph", "op", "old", "reason"),
    [
        ("op9", "replace_words", "shall", "has no paragraph 'op9'"),
        ("op1", "replace_words", "must", "the words 'must' are not in paragraph 1"),
        ("op1", "no_such_op", "shall", "amendment kind must be one of"),
    ],
)
def test_an_amendment_that_could_not_apply_is_refused(
    paragraph: str, op: str, old: str, reason: str
) -> None:
    with pytest.raises(AccordError, match=reason):
        acts.amendment(CURRENT, paragraph, op, old, "x")


def test_a_revision_gives_each_proposal_one_outcome() -> None:
    content = acts.revision({"text": "poc"}, [("sha256:a", "dropped"), ("sha256:b", "merged")])
    assert [o["outcome"] for o in content["outcomes"]] == ["dropped", "merged"]
    with pytest.raises(acts.ActError, match="two outcomes"):
        acts.revision({"text": "poc"}, [("sha256:a", "dropped"), ("sha256:a", "incorporated")])
    with pytest.raises(acts.ActError, match="not an outcome"):
        acts.revision({"text": "poc"}, [("sha256:a", "kept")])


def test_a_deadline_is_a_date_in_a_zone_or_a_period_from_now() -> None:
    now = 1_796_385_600_000  # 2026-12-04 12:00 UTC
    assert acts.deadline_ms("2026-12-04 13:00", "Europe/Vienna") == now
    assert acts.deadline_ms("+96h", "UTC", now) == now + 96 * 3_600_000
    assert acts.deadline_ms("+ 4 days", "Europe/Vienna", now) == now + 4 * 86_400_000
    assert acts.deadline_ms("+90min", "UTC", now) == now + 90 * 60_000
    with pytest.raises(acts.ActError, match=r"or a period from now: \+96h, \+4d"):
        acts.deadline_ms("+96h", "UTC")  # a period needs the time it counts from
    with pytest.raises(acts.ActError, match="unknown time zone 'Vienna'"):
        acts.deadline_ms("+1d", "Vienna", now)
