"""Territories: where everything the club knows about a place meets.

The territory pages (`/territoires`, `/territoires/<code>`) gather, for a territory and everything inside it,
its member collectivities, their people, the practices run there, the meetings held there, the problems
raised there, its ESS indicators, the members' ESS policy profiles, its map and its diagnostic sheet. They
read the other domains (members, meetings, practices, commitments) and write nothing of theirs.

The hierarchy itself (which territory contains which) lives with the territories' reference data, in
`clubess.members.hierarchy`, because the directory and the invitations filter by it.
"""
