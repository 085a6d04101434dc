"""The delegation node: keys encrypted at rest, a verified replica, a relay client."""
