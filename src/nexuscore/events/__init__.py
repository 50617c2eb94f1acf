"""Domain-event store: the audit trail and the transactional outbox."""
