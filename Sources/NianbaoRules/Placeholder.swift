// rules follow
