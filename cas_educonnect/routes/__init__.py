"""The login routes, each an optional Django app: ATEN, SMS, FranceConnect, legacy."""
