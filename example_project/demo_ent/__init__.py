"""A tiny CAS client standing for an ENT: it validates tickets over HTTP like a real service."""
