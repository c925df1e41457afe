"""The programme room's pure optimisers (no Django, no partnering imports).

- ``selection``: the balanced choice of pathfinder applications (an integer programme, HiGHS).
- ``matching``: the one-to-one mentoring assignment of advisers to pathfinders.

``python -m partnering.programme.maths select|match FILE.json --json`` is the command-line
contract documented in docs/programme.md.
"""
