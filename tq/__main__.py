"""``python -m tq`` runs the command line."""
from .cli import main

main()
