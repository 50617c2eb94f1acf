"""Published facade of the leads context for other contexts' adapters.

Nothing is published yet: no other context reads leads. (Routes, tasks and wiring are in
`module.py`.)
"""

from __future__ import annotations

__all__: list[str] = []
