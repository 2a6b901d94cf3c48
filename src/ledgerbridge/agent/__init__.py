"""The on-premise connector: links to the hub with a company key and books into local accounting files."""
