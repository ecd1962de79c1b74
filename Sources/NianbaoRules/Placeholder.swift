// NianbaoRules: sources follow.
