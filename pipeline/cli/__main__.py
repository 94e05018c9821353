"""`python -m pipeline.cli`: the `newsbrief` command (the server is started this way)."""

from . import main

main()
