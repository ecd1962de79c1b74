// NianbaoReaders: sources follow.
