"""Composition root and cross-cutting adapters."""
