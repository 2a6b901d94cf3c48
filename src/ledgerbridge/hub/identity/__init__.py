"""Identity: users, organizations, memberships, permissions, API tokens and the audit log."""
