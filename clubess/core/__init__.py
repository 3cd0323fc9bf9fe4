"""What every domain needs: database base and types, errors, audit, permissions, templating."""
