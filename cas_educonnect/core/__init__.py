"""Shared pieces every layer builds on: rate limits, forms, redirects, keys, bulk SQL."""
