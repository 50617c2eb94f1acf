"""Organisations (tenants): members, roles, invitations."""
