"""Pure shared kernel: value types and contracts every context may use (stdlib only)."""
