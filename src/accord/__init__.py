"""Accord: secure, verifiable digital negotiations between states."""

__version__ = "0.1.0"
