"""Documents of meetings and the resource centre (studies, guides, replays): uploads, access, search."""
