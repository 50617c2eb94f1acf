"""What the subscriptions context plugs into the composition root."""

from __future__ import annotations

import click

from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.subscriptions.adapters.sql import tables

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure) -> ContextModule:
    return ContextModule(name="subscriptions", tables=[tables])
