"""Signals other rooms listen to (the sharing room versions shares when membership changes).

``membership_changed`` is sent by every membership service after the write, inside the
transaction, with keyword arguments:

- ``sender``: ``Membership``
- ``partnership``: the ``Partnership``
- ``membership``: the ``Membership`` written
- ``change``: ``"joined"``, ``"left"`` or ``"role_changed"``
- ``on``: the ``datetime.date`` the change took effect
- ``actor``: the user who made the change (or ``None`` for scripts)
- ``reason``: a plain-English reason (may be empty)

A receiver that raises rolls the membership change back.
"""

import django.dispatch

membership_changed = django.dispatch.Signal()

MEMBERSHIP_CHANGES = ("joined", "left", "role_changed")
