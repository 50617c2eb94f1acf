"""Published facade of the leads context: its routes and background tasks for the platform."""

from __future__ import annotations

from litestar import Controller

# Each controller module of adapters/http appends its controllers here.
LEADS_ROUTES: list[type[Controller]] = []

__all__ = ["LEADS_ROUTES"]
