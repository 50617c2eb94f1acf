"""Helpers shared by tests: sample documents, validators."""
