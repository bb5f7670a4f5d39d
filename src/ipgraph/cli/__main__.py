"""``python -m ipgraph.cli``: the same as the ``ipgraph`` command."""

from ipgraph.cli import main

main()
