"""The build: seeds/ and knowledge/*.toml in, one validated FactBase out (see pipeline.build)."""
