"""SQLAlchemy 2 async storage: tables, engine, repositories and migrations."""
