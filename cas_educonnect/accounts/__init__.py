"""Account life cycle: identifiers, passwords, states."""
