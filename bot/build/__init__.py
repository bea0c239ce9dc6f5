"""The build: seeds/ and knowledge/*.toml in, factbase.json and factbase.db out, one article
at a time (see pipeline.build_to)."""
