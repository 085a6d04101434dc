"""Every code a refusal or a violation carries, and the HTTP status the relay answers with.

A code is stable: programs and tests match on it, people read the sentence beside it.
`Code` is a `StrEnum`, so `Code.CHAIN_BREAK == "chain_break"` and a code is written in
JSON as its plain string. Adding a code means adding its status to `HTTP_STATUS`;
`tests/test_codes.py` checks that every code has one. docs/protocol.md (sections 7, 9.2
and 10) says when each is raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Code(StrEnum):
    # -- form of objects and requests (protocol 1, 4, 10.1) -------------------------
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    EVENT_TOO_LARGE = "event_too_large"
    UNSIGNED_REQUEST = "unsigned_request"
    BAD_REQUEST_SIGNATURE = "bad_request_signature"
    STALE_REQUEST = "stale_request"
    REPLAYED_REQUEST = "replayed_request"
    RATE_LIMITED = "rate_limited"
    # -- the genesis (5, 7.1) ----------------------------------------------------------
    BAD_GENESIS = "bad_genesis"
    WRONG_SEQUENCER = "wrong_sequencer"
    GENESIS_MISSING = "genesis_missing"
    GENESIS_REPEATED = "genesis_repeated"
    UNEXPECTED_GENESIS = "unexpected_genesis"
    # -- entries and receipts (7, steps 2-8) --------------------------------------------
    BAD_RECEIPT = "bad_receipt"
    DUPLICATE_ENTRY = "duplicate_entry"
    OUT_OF_ORDER = "out_of_order"
    MISSING_ENTRY = "missing_entry"
    WRONG_CONFERENCE = "wrong_conference"
    EVENT_MISMATCH = "event_mismatch"
    HEAD_MISMATCH = "head_mismatch"
    TIME_REGRESSION = "time_regression"
    # -- admissibility (7.1, steps 2-5) -------------------------------------------------
    UNKNOWN_HEAD = "unknown_head"
    FORK = "fork"
    STALE_EVENT = "stale_event"
    FUTURE_TIME = "future_time"
    DUPLICATE_EVENT = "duplicate_event"
    CHAIN_BREAK = "chain_break"
    SEEN_INVALID = "seen_invalid"
    UNKNOWN_CHANNEL = "unknown_channel"
    # -- authority (7.1 step 6, 7.2) ----------------------------------------------------
    NOT_MEMBER = "not_member"
    WRONG_KEY = "wrong_key"
    ALREADY_JOINED = "already_joined"
    POWER_MISSING = "power_missing"
    OBSERVER_CANNOT_ACT = "observer_cannot_act"
    CHAIR_ONLY = "chair_only"
    NOT_ACCREDITED = "not_accredited"
    WRONG_ROOT = "wrong_root"
    WRONG_CONFERENCE_CREDENTIAL = "wrong_conference_credential"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    # -- credentials and seating (12.5) -------------------------------------------------
    NOT_SEATED = "not_seated"
    SEATING_RULE = "seating_rule"
    # -- restricted documents (12.6) ----------------------------------------------------
    DOCUMENT_RULE = "document_rule"
    # -- meetings and appointments (12.8) -----------------------------------------------
    MEETING_RULE = "meeting_rule"
    # -- channels, devices and epochs (4.4, 7.1 step 6) ---------------------------------
    CHANNEL_EXISTS = "channel_exists"
    CHANNEL_RULE = "channel_rule"
    NOT_CHANNEL_MEMBER = "not_channel_member"
    DUPLICATE_DEVICE = "duplicate_device"
    DEVICE_RULE = "device_rule"
    EPOCH_SEQUENCE = "epoch_sequence"
    EPOCH_RECIPIENTS = "epoch_recipients"
    WRONG_EPOCH = "wrong_epoch"
    STALE_EPOCH = "stale_epoch"
    # -- the record file and the relay's checkpoints (9.2, 10.3) ------------------------
    TRUNCATED = "truncated"
    TRAILING_DATA = "trailing_data"
    OVERSIZED = "oversized"
    BAD_CHECKPOINT = "bad_checkpoint"
    ROLLBACK = "rollback"
    # -- the relay's own refusals (10.2) ------------------------------------------------
    UNKNOWN_CONFERENCE = "unknown_conference"
    UNKNOWN_ENTRY = "unknown_entry"
    CONFERENCE_EXISTS = "conference_exists"
    UNAVAILABLE = "unavailable"


_BAD_REQUEST, _UNAUTHENTICATED, _FORBIDDEN, _NOT_FOUND, _CONFLICT = 400, 401, 403, 404, 409

HTTP_STATUS: Mapping[Code, int] = {
    Code.MALFORMED: _BAD_REQUEST,
    Code.BAD_SIGNATURE: _BAD_REQUEST,
    Code.EVENT_TOO_LARGE: 413,
    Code.UNSIGNED_REQUEST: _UNAUTHENTICATED,
    Code.BAD_REQUEST_SIGNATURE: _UNAUTHENTICATED,
    Code.STALE_REQUEST: _UNAUTHENTICATED,
    Code.REPLAYED_REQUEST: _UNAUTHENTICATED,
    Code.RATE_LIMITED: 429,
    Code.BAD_GENESIS: _BAD_REQUEST,
    Code.WRONG_SEQUENCER: _BAD_REQUEST,
    Code.GENESIS_MISSING: _BAD_REQUEST,
    Code.GENESIS_REPEATED: _CONFLICT,
    Code.UNEXPECTED_GENESIS: _BAD_REQUEST,
    # A log that breaks these was altered after sequencing: bad data, whoever sends it.
    Code.BAD_RECEIPT: _BAD_REQUEST,
    Code.DUPLICATE_ENTRY: _BAD_REQUEST,
    Code.OUT_OF_ORDER: _BAD_REQUEST,
    Code.MISSING_ENTRY: _BAD_REQUEST,
    Code.WRONG_CONFERENCE: _BAD_REQUEST,
    Code.EVENT_MISMATCH: _BAD_REQUEST,
    Code.HEAD_MISMATCH: _BAD_REQUEST,
    Code.TIME_REGRESSION: _BAD_REQUEST,
    Code.UNKNOWN_HEAD: _CONFLICT,
    Code.FORK: _CONFLICT,
    Code.STALE_EVENT: _BAD_REQUEST,
    Code.FUTURE_TIME: _BAD_REQUEST,
    Code.DUPLICATE_EVENT: _CONFLICT,
    Code.CHAIN_BREAK: _CONFLICT,
    Code.SEEN_INVALID: _CONFLICT,
    Code.UNKNOWN_CHANNEL: _BAD_REQUEST,
    Code.NOT_MEMBER: _FORBIDDEN,
    Code.WRONG_KEY: _FORBIDDEN,
    Code.ALREADY_JOINED: _CONFLICT,
    Code.POWER_MISSING: _FORBIDDEN,
    Code.OBSERVER_CANNOT_ACT: _FORBIDDEN,
    Code.CHAIR_ONLY: _FORBIDDEN,
    Code.NOT_ACCREDITED: _FORBIDDEN,
    Code.WRONG_ROOT: _FORBIDDEN,
    Code.WRONG_CONFERENCE_CREDENTIAL: _FORBIDDEN,
    Code.NOT_YET_VALID: _FORBIDDEN,
    Code.EXPIRED: _FORBIDDEN,
    Code.REVOKED: _FORBIDDEN,
    Code.NOT_SEATED: _FORBIDDEN,
    Code.SEATING_RULE: _FORBIDDEN,
    Code.DOCUMENT_RULE: _FORBIDDEN,
    Code.MEETING_RULE: _FORBIDDEN,
    Code.CHANNEL_EXISTS: _CONFLICT,
    Code.CHANNEL_RULE: _FORBIDDEN,
    Code.NOT_CHANNEL_MEMBER: _FORBIDDEN,
    Code.DUPLICATE_DEVICE: _CONFLICT,
    Code.DEVICE_RULE: _FORBIDDEN,
    # Another member keyed the channel first, or a new epoch is due: sync and retry.
    Code.EPOCH_SEQUENCE: _CONFLICT,
    Code.EPOCH_RECIPIENTS: _BAD_REQUEST,
    Code.WRONG_EPOCH: _CONFLICT,
    Code.STALE_EPOCH: _CONFLICT,
    Code.TRUNCATED: _BAD_REQUEST,
    Code.TRAILING_DATA: _BAD_REQUEST,
    Code.OVERSIZED: _BAD_REQUEST,
    Code.BAD_CHECKPOINT: _BAD_REQUEST,
    Code.ROLLBACK: _CONFLICT,
    Code.UNKNOWN_CONFERENCE: _NOT_FOUND,
    Code.UNKNOWN_ENTRY: _NOT_FOUND,
    Code.CONFERENCE_EXISTS: _CONFLICT,
    Code.UNAVAILABLE: 503,
}

# Refusals of a new epoch or of an encrypted act that mean "the channel's keys moved on
# while you were writing" (another member rekeyed first, or a member joined): the author
# syncs and tries again, as the node does.
EPOCH_RACES = frozenset(
    {Code.EPOCH_SEQUENCE, Code.STALE_EPOCH, Code.WRONG_EPOCH, Code.EPOCH_RECIPIENTS}
)
