"""`make compose-test`: docker-compose.yml built and run for real with Podman, then a journey."""
