// tests follow.
