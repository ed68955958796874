"""Process definitions: deploy, versions, the editors and the service-task operators."""
