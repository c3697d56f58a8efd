"""Two hosts of the app sharing one PostgreSQL database, one SECRET_KEY and one Redis."""
