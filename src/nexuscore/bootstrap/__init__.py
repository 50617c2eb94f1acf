"""Composition root: builds every context module into the API, worker, scheduler and CLI.

Nothing imports it but the entry points (a test checks).
"""
