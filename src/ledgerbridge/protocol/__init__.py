"""Wire format between the hub and its agents and apps: pydantic models shared by both sides."""
