"""Top-level entry point: `python cli.py ...` runs the briefing command line."""
from briefing.cli import main

if __name__ == "__main__":
    main()
