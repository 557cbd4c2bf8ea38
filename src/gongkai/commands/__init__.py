"""Subcommands of `gongkai` that need no database; each module has main(argv) -> exit code."""
