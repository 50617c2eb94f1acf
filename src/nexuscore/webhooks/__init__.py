"""Webhooks context: the inbound webhook inbox (verify, store once, process, retry, replay)."""
