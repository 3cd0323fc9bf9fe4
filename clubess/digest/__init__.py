"""The members' monthly news digest: what is new for each person who opted in, queued through mailing."""
