"""NexusCore backend."""
