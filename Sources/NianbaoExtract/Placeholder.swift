// NianbaoExtract: sources follow.
