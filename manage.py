#!/usr/bin/env python
"""Django's command-line utility; same as the `sumberdaya` console command."""

from sumberdaya.cli import main

if __name__ == "__main__":
    main()
