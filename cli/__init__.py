"""The `plan` command line (Click). Thin: parse, call the library, print."""
