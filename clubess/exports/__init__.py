"""The coordinators' exports: member collectivities and their people, registrants across meetings, the list."""
