"""SMS gateways: ``console`` (demo), ``locmem`` (tests), ``dummy`` (drops), ``twilio`` (production)."""
