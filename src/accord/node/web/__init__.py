"""The delegation's web interface: served by its node on localhost, never elsewhere.

`service` holds the unlocked node and keeps its replica current; `app` maps pages and
forms onto the node's acts; `views` turns the recomputed negotiation into what the
templates show. The browser talks only to its own node: keys never leave it.
"""
