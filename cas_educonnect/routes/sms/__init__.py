"""SMS gateway, one-time codes and the "Je n'ai pas d'identifiant" registration; API in ``services``."""
