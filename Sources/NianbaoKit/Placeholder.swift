// NianbaoKit: sources follow.
