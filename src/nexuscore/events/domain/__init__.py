"""The events context stores kernel DomainEvents as they are; its own domain is the outbox state."""
