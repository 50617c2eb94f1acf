"""HTTP plumbing shared by every context: problems, middleware, OpenAPI, health."""
