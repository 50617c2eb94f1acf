"""Identity's one-time secrets are the kernel's opaque tokens."""

from nexuscore.kernel.tokens import OpaqueToken, digest_token, new_opaque_token

__all__ = ["OpaqueToken", "digest_token", "new_opaque_token"]
