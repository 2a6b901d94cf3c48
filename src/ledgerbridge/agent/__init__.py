"""The on-premise connector: links to the hub with a company key, books into local files."""
