"""Writers of an AAF import run: how decided changes reach the tables (see ``base``)."""
