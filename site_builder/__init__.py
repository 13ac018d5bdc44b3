"""Load, validate and publish the portal's data (YAML → records → checks → pages)."""
