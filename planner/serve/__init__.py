"""`plan serve`: the local web workbench (docs/workbench.md) and its JSON API (docs/api.md)."""
