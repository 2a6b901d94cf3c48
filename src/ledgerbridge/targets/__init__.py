"""Writers into accounting books (GnuCash, Beancount, hledger, DATEV); idempotent per delivery."""
