"""Accounts: allauth adapters, forms, MFA secrets at rest, require-MFA and language middleware.

Everything a person does with their own account (register, verify the e-mail address by
code, log in, change password or e-mail, set up two-factor authentication) is allauth's
work; this package bends it to the hub: no usernames, the recipient's language in every
e-mail, TOTP secrets and recovery seeds encrypted in the database, an audit event for every
security-relevant step, and an organization that can demand MFA of all its members.
"""
