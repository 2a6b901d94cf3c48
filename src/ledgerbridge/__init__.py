"""ledgerbridge: moves bookkeeping documents from where they arise into the books."""
