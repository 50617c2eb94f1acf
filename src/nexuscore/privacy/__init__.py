"""The privacy context (PDPA): the personal data map, data subject requests, erasure."""
