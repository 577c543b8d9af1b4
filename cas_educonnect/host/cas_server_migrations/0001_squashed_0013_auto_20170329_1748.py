"""The host's own (squashed) migration, unchanged: re-exported from the installed package."""

from importlib import import_module

Migration = import_module("cas_server.migrations.0001_squashed_0013_auto_20170329_1748").Migration
