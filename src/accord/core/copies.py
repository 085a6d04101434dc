"""Traceable copies of a restricted document (a "canary trap").

A chair circulates a restricted text to a few delegations; each receives its own copy, and a
copy that leaks can be traced to its recipient. Every copy says the same thing. Two layers:

* visible: at *variant sites* (words with two accepted spellings, `VARIANTS`) each copy spells
  its way, by a codeword of the recipient. Nothing else changes, and nothing inside square
  brackets. This survives copy-paste, retyping and a photograph transcribed by hand, *if* the
  spelling is kept.
* invisible: after the first word of each paragraph, a run of zero-width characters holding a
  32-bit tag, a MAC of the recipient under the chair's secret, with a CRC-8. It survives a
  copy-paste of the digital file and nothing else (retyping, OCR, many tools strip it).

What it cannot trace: a paraphrase, or spelling normalised by a careful editor or a spelling
checker (no site left); recipients who compare their copies (collusion) can find the sites
where they differ and blend or erase them; an excerpt traces only through the sites it
contains (a site counts when two whole words on each side of it are in the leaked text), and a
short text has few sites: with n sites at most 2**n - 1 recipients can be told apart, and
rather fewer with certainty. Copies mix spellings, which a reader may notice. `trace` names a
recipient only when the evidence singles one out; it assumes that what it reads was
transcribed faithfully, and says so.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Literal

CONTEXT = 2  # whole words on each side that locate a site in the document
MAX_RECIPIENTS = 64
ZERO_WIDTH = "\u200b\u200c\u200d\u2060"  # the tag's symbols: 00, 01, 10, 11
TAG_SYMBOLS = 20  # 4 bytes of MAC and 1 of CRC-8, two bits a symbol
_STEMS = (
    "recogni|emphasi|reali|prioriti|mobili|utili|minimi|maximi|harmoni|finali|summari|"
    "stabili|characteri|standardi|authori|operationali|institutionali"
)
# (pattern, its variable part as group v; the two spellings of v, the first canonical). Left
# out as not always neutral: the serial comma (it can decide what a list means), "in order
# to"/"to", "upon"/"on", "programme"/"program", "judgement"/"judgment", "organization" (names).
VARIANTS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"\b(?P<v>whilst|while)\b(?!\s+away\b)", ("while", "whilst")),  # not after a/the/worth
    (r"\b(?P<v>amongst|among)\b", ("among", "amongst")),
    (r"\b(?P<v>towards|toward)\b", ("toward", "towards")),
    (r"\b(?P<v>afterwards|afterward)\b", ("afterward", "afterwards")),
    (r"\b(?P<v>per\s+cent|percent)\b", ("per cent", "percent")),
    (r"\b(?P<v>co-?)(?=operat|ordinat)", ("co-", "co")),
    (r"\b(?P<v>e\.g\.,?)(?=\s)", ("e.g.,", "e.g.")),
    (r"\b(?P<v>i\.e\.,?)(?=\s)", ("i.e.,", "i.e.")),
    (rf"\b(?:{_STEMS})(?P<v>[sz])(?:e|es|ed|ing|ation|ations)\b", ("z", "s")),
    (r"\backnowledg(?P<v>e?)ments?\b", ("e", "")),
)
_NOT_WHILE = frozenset({"a", "the", "worth"})  # "for a while" is a noun, never "whilst"
_TOKENS = re.compile(
    "|".join(f"(?P<k{i}>{p.replace('(?P<v>', f'(?P<v{i}>')})" for i, (p, _) in enumerate(VARIANTS))
    + r"|(?P<w>\w+)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_TAG_RUN = re.compile(f"[{ZERO_WIDTH}]+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-"})

Verdict = Literal["identified", "ambiguous", "untraceable"]


@dataclass(frozen=True)
class Standing:
    """How a recipient's copy agrees with the leaked text at the sites found in it."""

    recipient: str
    matched: int
    compared: int


@dataclass(frozen=True)
class Trace:
    """What a leaked text says about its source. Act on `verdict` and `named`: `exact` is what
    the invisible tag alone says, and it may be contradicted by the wording."""

    verdict: Verdict
    exact: str | None
    candidates: tuple[str, ...]
    ranking: tuple[Standing, ...]
    explanation: str

    @property
    def named(self) -> str | None:
        """The recipient whose copy leaked, when the evidence singles one out."""
        return self.candidates[0] if self.verdict == "identified" else None


@dataclass(frozen=True)
class _Site:
    kind: int
    form: int  # which of the kind's two spellings the text has
    span: tuple[int, int]  # of the variable part in the scanned text
    key: tuple[str, ...]  # the kind and the CONTEXT words on each side, canonical
    upper: bool  # the site's word is in capitals


def _bracketed(text: str) -> list[tuple[int, int]]:
    """Spans in square brackets. A "]" never opened covers all before it (an excerpt that
    starts inside brackets), a "[" never closed all after it."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "[":
            opened.append(i)
        elif char == "]":
            spans.append((opened.pop() if opened else 0, i + 1))
    return [*spans, (opened[0], len(text))] if opened else spans


def _scan(text: str, whole: bool = False) -> list[_Site]:
    """The variant sites of `text` that have CONTEXT whole words on each side, in order. A
    word touching either end of `text` is dropped: the cut may have fallen inside it (unless
    `text` is known to be `whole`: a copy, read to find every place a site may stand)."""
    blocked, words = _bracketed(text), []
    found: list[tuple[int, int, tuple[int, int], bool, int, int]] = []
    for m in _TOKENS.finditer(text):
        if not whole and (m.start() == 0 or m.end() == len(text)):
            continue
        if m.lastgroup == "w":
            words.append(m.group().casefold())
            continue
        kind = int(str(m.lastgroup)[1:])
        forms, (v0, v1) = VARIANTS[kind][1], m.span(f"v{kind}")
        said = " ".join(text[v0:v1].lower().split())
        canonical = _WORD.findall((text[m.start() : v0] + forms[0] + text[v1 : m.end()]).casefold())
        inside = any(a < max(v1, v0 + 1) and v0 < b for a, b in blocked)
        noun = kind == 0 and bool(words) and words[-1] in _NOT_WHILE
        if not (inside or noun or said not in forms):
            upper = m.group().isupper()
            found.append((kind, forms.index(said), (v0, v1), upper, len(words), len(canonical)))
        words.extend(canonical)
    sites = []
    for kind, form, span, upper, at, n in found:
        before, after = words[max(0, at - CONTEXT) : at], words[at + n : at + n + CONTEXT]
        if len(before) == len(after) == CONTEXT:
            sites.append(_Site(kind, form, span, (str(kind), *before, *after), upper))
    return sites


def _places(text: str) -> dict[tuple[str, ...], set[int]]:
    """Every spelling each site context has anywhere in a whole copy."""
    out: dict[tuple[str, ...], set[int]] = {}
    for site in _scan(text, whole=True):
        out.setdefault(site.key, set()).add(site.form)
    return out


def _prepare(text: str) -> str:
    """A text as `trace` reads it: no invisible characters, compatibility forms, ASCII hyphens."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).translate(_DASHES)


def _document_sites(paragraphs: Sequence[str]) -> list[tuple[int, _Site]]:
    """The sites that copies vary: (paragraph, site with its span inside that paragraph)."""
    out, starts = [], [0, *accumulate(len(p) + 1 for p in paragraphs)]
    for site in _scan("\n".join(paragraphs)):
        index = bisect_right(starts, site.span[0]) - 1
        v0, v1 = site.span[0] - starts[index], site.span[1] - starts[index]
        if v1 <= len(paragraphs[index]):  # not across two paragraphs
            out.append((index, _Site(site.kind, site.form, (v0, v1), site.key, site.upper)))
    return out


def capacity(paragraphs: Sequence[str]) -> int:
    """The number of visible variant sites: with n of them, wording alone can tell apart at
    most 2**n - 1 recipients (and an excerpt only through the sites it holds)."""
    return len(_document_sites(paragraphs))


@cache
def _labels(recipients: int, sites: int) -> tuple[int, ...]:
    """Up to 2**K - 1 labels, non-zero K-bit numbers (K = recipients.bit_length()), picked one
    by one so that the codewords of 0 (the original) and 1..recipients stay pairwise as far
    apart as possible. Codeword bit of number i at a site labelled v: parity(i & v)."""
    top = 2 ** recipients.bit_length()
    diffs = sorted({i ^ j for i in range(recipients + 1) for j in range(i)})
    weight, labels = dict.fromkeys(diffs, 0), list[int]()

    def score(v: int) -> tuple[int, int, int]:
        after = [weight[d] + ((d & v).bit_count() & 1) for d in diffs]
        return min(after), -after.count(min(after)), -v

    for _ in range(min(sites, top - 1)):
        labels.append(max(range(1, top), key=score))
        for d in diffs:
            weight[d] += (d & labels[-1]).bit_count() & 1
    return tuple(labels)


def _mac(secret: bytes, label: bytes, data: bytes) -> bytes:
    return hmac.digest(secret, b"accord copies v1 " + label + b"\x00" + data, "sha256")


def _crc8(data: bytes) -> int:
    """CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initial value 0, no reflection."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07 if crc & 0x80 else crc << 1) & 0xFF
    return crc


def _tag(secret: bytes, recipient: str) -> str:
    mac = _mac(secret, b"tag", recipient.encode())[:4]
    bits = int.from_bytes(mac + bytes([_crc8(mac)]), "big")
    return "".join(ZERO_WIDTH[bits >> 2 * k & 3] for k in reversed(range(TAG_SYMBOLS)))


def _read_tags(text: str) -> tuple[set[bytes], int]:
    """The intact tags in `text` (their MACs), and how many runs were damaged."""
    intact, damaged = set(), 0
    for run in _TAG_RUN.findall(text):
        bits = int("".join(str(ZERO_WIDTH.index(c)) for c in run), 4)  # base 4
        data = bits.to_bytes(5, "big") if len(run) == TAG_SYMBOLS else b""
        if data and _crc8(data[:4]) == data[4]:
            intact.add(data[:4])
        else:
            damaged += 1
    return intact, damaged


def _spell(site: _Site, said: str) -> str:
    """The other spelling of a site, in the case of the one it replaces."""
    form = VARIANTS[site.kind][1][1 - site.form]
    if site.upper:
        return form.upper()
    return form[:1].upper() + form[1:] if said[:1].isupper() else form


def _insert(paragraph: str, tag: str) -> str:
    """`tag` after the first word: at the first space outside brackets, else at the start."""
    if not paragraph.strip():
        return paragraph
    blocked = _bracketed(paragraph)
    spaces = (i for i, c in enumerate(paragraph) if c.isspace())
    at = next((i for i in spaces if not any(a <= i < b for a, b in blocked)), 0)
    return paragraph[:at] + tag + paragraph[at:]


def make_copies(
    paragraphs: Sequence[str], recipients: Sequence[str], secret: bytes
) -> dict[str, tuple[str, ...]]:
    """One copy of `paragraphs` for each recipient, the same for the same inputs. Recipient
    number i (1-based, in the order given) spells the other way each site whose label has odd
    parity with i; the original is number 0. Keep the list and its order to regenerate."""
    if isinstance(paragraphs, str) or isinstance(recipients, str):
        raise TypeError("paragraphs and recipients are sequences of strings, not one string")
    if not recipients or len(set(recipients)) != len(recipients) or not all(recipients):
        raise ValueError("recipients must be distinct, non-empty names (at least one)")
    if len(recipients) > MAX_RECIPIENTS or len(secret) < 16:
        raise ValueError(f"at most {MAX_RECIPIENTS} recipients, and a secret of 16 bytes or more")
    if any(_TAG_RUN.search(p) for p in paragraphs):
        raise ValueError("the text already holds zero-width characters; remove them first")
    sites = _document_sites(paragraphs)
    labels = _labels(len(recipients), len(sites))
    order = sorted(range(len(sites)), key=lambda j: _mac(secret, b"site", j.to_bytes(4, "big")))
    label = {j: labels[rank % len(labels)] for rank, j in enumerate(order)}
    copies = {}
    for number, recipient in enumerate(recipients, 1):
        edited = list(paragraphs)
        for j in reversed(range(len(sites))):  # right to left keeps earlier spans valid
            index, site = sites[j]
            if (number & label[j]).bit_count() & 1:
                text, (v0, v1) = edited[index], site.span
                edited[index] = text[:v0] + _spell(site, text[v0:v1]) + text[v1:]
        tag = _tag(secret, recipient)
        copies[recipient] = tuple(_insert(p, tag) for p in edited)
    return copies


def _decide(
    exact: str | None, owners: list[str], ranking: list[Standing], min_margin: int
) -> tuple[Verdict, list[str]]:
    compared, best = ranking[0].compared, ranking[0].matched
    closest = [s.recipient for s in ranking if compared and s.matched == best]
    margin = compared - ranking[1].matched if len(ranking) > 1 else compared
    if exact and (not compared or (best == compared and exact in closest)):
        return "identified", [exact]
    if exact or len(owners) > 1:  # the tag and the wording disagree, or tags of two copies
        return "ambiguous", list(dict.fromkeys([*owners, *closest]))
    if not compared:
        return "untraceable", []
    if best == compared and margin >= min_margin:  # so the only one to agree throughout
        return "identified", closest
    return "ambiguous", closest


def _explain(marks: str, verdict: Verdict, names: list[str], ranking: list[Standing]) -> str:
    compared, best = ranking[0].compared, ranking[0].matched
    agree = ", ".join(s.recipient for s in ranking if s.matched == best)
    places = f"{compared} places where the copies may be spelled differently"
    if not compared:
        wording = "It holds none of the places where the copies may be spelled differently."
    elif best < compared:
        wording = f"At {places}, no copy agrees throughout; the closest ({agree}) agree at {best}:"
        wording += " the text was altered, or is no recipient's copy (the original, say)."
    else:
        wording = f"At all {places}, it agrees with the copy of {agree}"
        if len(ranking) > 1 and ranking[1].matched < best:
            wording += f"; every other copy differs at {best - ranking[1].matched} or more"
        wording += "."
    if verdict == "untraceable":
        return f"{marks} {wording} It cannot be traced to a recipient."
    if verdict == "ambiguous":
        return (
            f"{marks} {wording} It cannot be attributed to one recipient: {', '.join(names)} "
            "remain possible. Name none of them on this evidence."
        )
    caveat = (
        ""
        if marks.startswith("The hidden marks are intact")
        else " (unless someone who knew of the marking re-spelled these places, or holders of "
        "several copies compared them and mixed their wording)"
    )
    return f"{marks} {wording} It comes from the copy sent to {names[0]}{caveat}."


def trace(leaked: str, copies: Mapping[str, Sequence[str]], *, min_margin: int = 1) -> Trace:
    """Which recipient's copy `leaked` comes from: the whole text or a part, in any layout.

    Identified: the invisible tag of one copy is intact and the wording does not contradict it,
    or exactly one copy agrees with the wording at every site found in the text (and every
    other copy disagrees at `min_margin` of them or more). Ambiguous: several copies remain
    possible, the wording contradicts the tag, or no copy agrees everywhere (the text was
    altered). Untraceable: no site of the document and no tag of these copies in the text.
    """
    if not copies or min_margin < 1:
        raise ValueError("trace needs the copies, and a margin of 1 or more")
    if any(isinstance(c, str) for c in copies.values()):
        raise TypeError("each copy is a sequence of paragraphs, not one string")
    readings = {r: _scan(_prepare("\n".join(c))) for r, c in copies.items()}
    keys = [s.key for s in next(iter(readings.values()))]
    if any([s.key for s in sites] != keys for sites in readings.values()):
        raise ValueError("these are not copies of one document")
    where: dict[tuple[str, ...], list[int]] = {}
    for i, key in enumerate(keys):
        where.setdefault(key, []).append(i)
    # An excerpt can give a site context that a spelling of the copy has only where the copy
    # never varies it (by its first words, say): those places, read in the whole copy, count
    # as agreeing too, so that a faithful excerpt never counts against its own copy.
    fixed = {r: _places(_prepare("\n".join(c))) for r, c in copies.items()}
    matched, compared = dict.fromkeys(copies, 0), 0
    for site in _scan(_prepare(leaked)):  # a site whose context repeats may be any of them
        places = where.get(site.key, [])
        compared += bool(places)
        for r, sites in readings.items():
            matched[r] += bool(places) and (
                any(sites[i].form == site.form for i in places)
                or site.form in fixed[r].get(site.key, ())
            )
    ranking = [Standing(r, matched[r], compared) for r in sorted(copies, key=lambda r: -matched[r])]

    macs, damaged = _read_tags(leaked)
    owners = sorted(r for r in copies if _read_tags("\n".join(copies[r]))[0] & macs)
    exact = owners[0] if len(owners) == 1 and len(macs) == 1 else None
    if exact:
        marks = f"The hidden marks are intact and belong to the copy sent to {exact}."
    elif macs:
        whose = ", ".join(owners) or "none of these copies"
        marks = f"Hidden marks are intact but do not single out one copy (they belong to {whose})."
    elif damaged:
        marks = "Hidden marks are present but damaged, so they are not used."
    else:
        marks = "No hidden marks remain (the text was retyped, photographed or cleaned)."
    verdict, names = _decide(exact, owners, ranking, min_margin)
    explanation = _explain(marks, verdict, names, ranking)
    return Trace(verdict, exact, tuple(names), tuple(ranking), explanation)
