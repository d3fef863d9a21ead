"""`python cli.py ...` does exactly what the `netanalysis` console script does."""

from netanalysis.cli import main

if __name__ == "__main__":
    main(prog_name="netanalysis")
