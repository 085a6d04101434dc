"""The relay: sequences events durably, issues receipts, serves and pushes the log.

It is trusted with availability only: every member verifies what it serves.
"""
