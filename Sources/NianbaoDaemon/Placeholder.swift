// NianbaoDaemon: sources follow.
