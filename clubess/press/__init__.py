"""Press relations: contacts, communiqués, the press room."""
