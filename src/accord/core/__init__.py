"""The pure protocol core: no I/O, no network, no database.

Everything else in Accord depends on this package; it depends on nothing else of
the project. See docs/architecture.md for the map and docs/protocol.md for the rules.
"""
