"""The domain core: plain Python over plain data, no Flask and no SQLAlchemy."""
