"""Shared infrastructure for the contexts' adapters.

Database and RLS scope, HTTP base structs and problems, middleware, broker, settings, mail
transport, logging, and the contract a context module fulfils. It names no context.
"""
