"""The login flow every route ends in: steps, SSO session, CAS views, release policy, portal."""
