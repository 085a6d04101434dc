"""The demonstrations: the story in one process, through a relay, the web demo's cast,
and the negotiation they all play."""
