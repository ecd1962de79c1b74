// NianbaoRender: sources follow.
