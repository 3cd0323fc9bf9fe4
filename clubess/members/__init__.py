"""Members: territories (reference data), collectivities, their people, applications, directory."""
