"""Writers: into accounting books (GnuCash, Beancount, hledger), idempotent per delivery,
and into files for other programs (DATEV EXTF, ISO 20022 pain.001). No Django."""
