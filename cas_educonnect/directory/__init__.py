"""The academy directory: AAF export import (``import_paths``) and a synthetic export generator."""
