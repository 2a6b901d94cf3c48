"""Template filters of the portal: locale-aware amounts and translated status labels."""
