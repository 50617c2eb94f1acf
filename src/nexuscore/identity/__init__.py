"""Identity: who a user is and how they prove it."""
