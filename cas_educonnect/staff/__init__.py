"""Staff storage: roles, delegations, audit log, school settings, notification jobs.

Its own app (label ``educonnect_staff``) so that the core models stay owned by the core.
"""
